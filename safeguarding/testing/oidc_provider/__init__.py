"""A real OpenID Connect provider for the single sign-on tests: django-oauth-toolkit in a small
Django project of its own (own settings, own throwaway SQLite database, an RSA key made at test
time), served by gunicorn on 127.0.0.1 in a subprocess. Test-only: nothing in the app imports
it. `server.py` starts it; the tests are safeguarding/accounts/tests/test_oidc_provider.py and
safeguarding/browser_tests/test_sso.py.
"""
