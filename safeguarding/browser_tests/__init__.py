"""Browser tests: real Chromium against a live server, with axe-core accessibility checks."""
