"""The learning-loop simulation behind `bench/learning_loop.py`: the split, one review order's
rounds, and the chart."""
