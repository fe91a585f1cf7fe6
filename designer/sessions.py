"""The browser's session: Flask's signed cookie, at no cost to a request that carries none.

Flask builds the cookie's signer on every request before looking for the cookie. API clients send
credentials, not the cookie: for a request without it, the session is a new empty one at once, and
at the end, with nothing to write or clear, the answer only says it varies with the cookie (as
Flask's would) without Flask reading its Vary header into a set and writing it back.
"""

from flask import Flask
from flask.sessions import SecureCookieSessionInterface


class SignedCookieSessions(SecureCookieSessionInterface):
    def open_session(self, app: Flask, request):
        if app.secret_key and (
            "HTTP_COOKIE" not in request.environ or not request.cookies.get(self.get_cookie_name(app))
        ):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session, response) -> None:
        if session or session.modified:
            super().save_session(app, session, response)
        elif session.accessed:
            vary = response.headers.get("Vary")
            if vary is None:
                response.headers["Vary"] = "Cookie"
            elif "cookie" not in (name.strip().lower() for name in vary.split(",")):
                response.headers["Vary"] = f"{vary}, Cookie"
