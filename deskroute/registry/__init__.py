"""The model registry: every trained model kept as a version, judged by quality gates on a
fixed evaluation set, promoted, rolled back, and picked up by running routers."""
