"""Signing in and out of the review page over real HTTP: redirects, cookies, CSRF, the delay."""

from __future__ import annotations

from collections.abc import Callable
from http.cookies import SimpleCookie

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient


def _cookie(answer: httpx.Response, name: str) -> SimpleCookie:
    for header in answer.headers.get_list("set-cookie"):
        cookie = SimpleCookie(header)
        if name in cookie:
            return cookie
    raise AssertionError(f"no {name} cookie in {answer.headers.get_list('set-cookie')}")


def test_not_signed_in_is_sent_to_sign_in_and_sees_no_ticket(browser: httpx.Client) -> None:
    answer = browser.get("/review")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/review/login?next=%2Freview"
    assert "tkt_" not in answer.text
    deep = browser.get("/review?queue=finance")
    assert deep.headers["location"] == "/review/login?next=%2Freview%3Fqueue%3Dfinance"


def test_wrong_password_shows_the_form_again_with_an_error(
    browser: httpx.Client, reviewer: str, submit_sign_in: Callable[..., httpx.Response]
) -> None:
    answer = submit_sign_in(browser, reviewer, "not the password")
    assert answer.status_code == 401
    assert "Wrong name or password." in answer.text and 'role="alert"' in answer.text
    assert f'value="{reviewer}"' in answer.text  # the name stays filled in
    assert "deskroute_review=" not in answer.headers.get("set-cookie", "")
    assert browser.get("/review").status_code == 303


def test_right_password_sets_an_httponly_samesite_lax_session_cookie(
    password: str,
    browser: httpx.Client,
    reviewer: str,
    submit_sign_in: Callable[..., httpx.Response],
) -> None:
    answer = submit_sign_in(browser, reviewer, password)
    assert answer.status_code == 303 and answer.headers["location"] == "/review"
    cookie = _cookie(answer, "deskroute_review")["deskroute_review"]
    assert cookie["httponly"] is True
    assert cookie["samesite"].lower() == "lax"
    assert cookie["path"] == "/review"
    assert not cookie["secure"]  # plain HTTP here; see the HTTPS tests
    page = browser.get("/review")
    assert page.status_code == 200 and f"Signed in as <strong>{reviewer}</strong>" in page.text


def test_sign_in_returns_to_the_page_asked_for_and_never_elsewhere(
    password: str,
    browser: httpx.Client,
    reviewer: str,
    submit_sign_in: Callable[..., httpx.Response],
) -> None:
    form = browser.get("/review/login", params={"next": "https://evil.example/review"})
    assert 'name="next" value="/review"' in form.text
    answer = submit_sign_in(browser, reviewer, password, next="/review?queue=finance")
    assert answer.headers["location"] == "/review?queue=finance"
    again = browser.get("/review/login", params={"next": "//evil.example"})
    assert again.status_code == 303 and again.headers["location"] == "/review"


def test_session_cookie_is_secure_over_https(
    password: str, review_app: FastAPI, reviewer: str, form_token: Callable[[str], str]
) -> None:
    with TestClient(review_app, base_url="https://testserver") as client:
        form = client.get("/review/login")
        assert _cookie(form, "deskroute_review_login")["deskroute_review_login"]["secure"]
        answer = client.post(
            "/review/login",
            data={"name": reviewer, "password": password, "csrf_token": form_token(form.text)},
            follow_redirects=False,
        )
    assert answer.status_code == 303
    assert _cookie(answer, "deskroute_review")["deskroute_review"]["secure"] is True


def test_session_cookie_is_secure_behind_a_tls_proxy_on_loopback(
    password: str, browser: httpx.Client, reviewer: str, form_token: Callable[[str], str]
) -> None:
    """uvicorn trusts X-Forwarded-Proto from 127.0.0.1, where such a proxy would run."""
    proxied = {"X-Forwarded-Proto": "https"}
    form = browser.get("/review/login", headers=proxied)
    login = _cookie(form, "deskroute_review_login")["deskroute_review_login"]
    answer = browser.post(
        "/review/login",
        headers={**proxied, "Cookie": f"deskroute_review_login={login.value}"},
        data={"name": reviewer, "password": password, "csrf_token": form_token(form.text)},
    )
    assert answer.status_code == 303
    assert _cookie(answer, "deskroute_review")["deskroute_review"]["secure"] is True


def test_post_without_a_valid_csrf_token_is_refused(
    signed_in: httpx.Client, form_token: Callable[[str], str]
) -> None:
    for data in ({}, {"csrf_token": ""}, {"csrf_token": "x" * 43}):
        answer = signed_in.post("/review/logout", data=data)
        assert answer.status_code == 403
        assert "This form cannot be accepted" in answer.text
    # A token of another form kind (JSON) is no form at all.
    assert signed_in.post("/review/logout", json={"csrf_token": "x"}).status_code == 403
    assert signed_in.get("/review").status_code == 200  # still signed in


def test_sign_in_form_needs_its_own_token(
    password: str, browser: httpx.Client, reviewer: str, form_token: Callable[[str], str]
) -> None:
    """Another site cannot post the sign-in form (it can neither read nor set the cookie)."""
    token = form_token(browser.get("/review/login").text)
    browser.cookies.clear()
    answer = browser.post(
        "/review/login", data={"name": reviewer, "password": password, "csrf_token": token}
    )
    assert answer.status_code == 403 and "deskroute_review=" not in str(answer.headers)


def test_sign_out_ends_the_session_on_the_server(
    signed_in: httpx.Client, review_url: str, form_token: Callable[[str], str]
) -> None:
    token = signed_in.cookies["deskroute_review"]

    def with_kept_cookie() -> httpx.Response:
        """The queue, asked for by a browser that kept the cookie whatever it was told."""
        cookie = {"Cookie": f"deskroute_review={token}"}
        return httpx.get(f"{review_url}/review", headers=cookie, follow_redirects=False)

    assert with_kept_cookie().status_code == 200
    page = signed_in.get("/review")
    answer = signed_in.post("/review/logout", data={"csrf_token": form_token(page.text)})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/review/login?signed_out=1"
    assert 'deskroute_review=""' in answer.headers["set-cookie"]
    assert "You are signed out." in signed_in.get(answer.headers["location"]).text
    kept = with_kept_cookie()
    assert kept.status_code == 303 and kept.headers["location"].startswith("/review/login")


def test_repeated_wrong_passwords_make_the_name_wait(
    browser: httpx.Client, reviewer: str, submit_sign_in: Callable[..., httpx.Response]
) -> None:
    answers = [submit_sign_in(browser, reviewer, "not the password") for _ in range(3)]
    assert [a.status_code for a in answers] == [401, 401, 401]
    assert "Wrong name or password; try again in 1 s." in answers[2].text
    # Each counted failure doubles the wait, so an attempt soon lands inside one.
    for _ in range(12):
        answer = submit_sign_in(browser, reviewer, "not the password")
        if answer.status_code != 401:
            break
    assert answer.status_code == 429, answer.text
    assert int(answer.headers["retry-after"]) >= 1
    assert "Too many wrong passwords for this name; try again in" in answer.text
    assert "deskroute_review=" not in answer.headers.get("set-cookie", "")
