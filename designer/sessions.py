"""The browser's session: Flask's signed cookie, at no cost to a request that carries none.

Flask builds the cookie's signer on every request before looking for the cookie. API clients send
credentials, not the cookie: for a request without it, the session is a new empty one at once.
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
