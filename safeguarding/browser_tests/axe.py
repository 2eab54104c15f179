"""Accessibility checks with axe-core (npm `axe-core`, in node_modules) inside a real page.

How axe gets into the page: the site's Content-Security-Policy allows only `script-src 'self'`.
`page.add_script_tag(path=...)` inserts an *inline* <script>, which that policy blocks (tried:
"Executing inline script violates the following Content Security Policy directive"), and the
refusal is itself logged as a console error. Turning the policy off for the tests
(`bypass_csp=True`) would make every browser test blind to real CSP breakage (an inline style or
script in a template), which the console-error check is there to catch. So the tests keep the
real policy on every page, and axe's source is evaluated through the DevTools protocol
(`page.evaluate`), which a page's CSP does not govern. The page itself is left untouched apart
from `window.axe`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings

# WCAG 2.0, 2.1 and 2.2, levels A and AA (axe has no wcag22a tag: 2.2's new A criteria are tagged
# wcag22aa or best-practice).
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")

AXE_PATH = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"


@lru_cache(maxsize=1)
def _axe_source() -> str:
    if not AXE_PATH.exists():
        raise AssertionError(f"{AXE_PATH} is missing: run `make install` (npm ci) first")
    return AXE_PATH.read_text(encoding="utf-8")


def inject_axe(page: Any) -> None:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())


def axe_violations(page: Any, *, tags: tuple[str, ...] = WCAG_TAGS) -> list[dict[str, Any]]:
    """Run axe on the whole document and return its violations."""
    inject_axe(page)
    return page.evaluate(
        """async (tags) => {
            const results = await window.axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                resultTypes: ['violations'],
            });
            return results.violations.map(v => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({
                    target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t),
                    html: n.html,
                    summary: n.failureSummary,
                })),
            }));
        }""",
        list(tags),
    )


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            lines.append(f"    at {', '.join(node['target'])}: {node['html'][:200]}")
            if node.get("summary"):
                for detail in node["summary"].splitlines():
                    lines.append(f"      {detail}")
    return "\n".join(lines)


def assert_no_axe_violations(page: Any, *, tags: tuple[str, ...] = WCAG_TAGS) -> None:
    """Fail with every WCAG A/AA violation axe finds on the page (id, help and target nodes),
    or if the page does not reflow to 320 px wide (which axe does not check)."""
    violations = axe_violations(page, tags=tags)
    if violations:
        raise AssertionError(
            f"axe found {len(violations)} accessibility violation(s) on {page.url}:\n"
            + format_violations(violations)
        )
    assert_reflows(page)


# WCAG 1.4.10 Reflow: content readable at 320 CSS pixels wide (1280 px at 400% zoom) without
# scrolling the page sideways. Data tables may scroll, inside their own box (`srh-table-scroll`).
REFLOW_WIDTH = 320


def page_overflow(page: Any) -> list[str]:
    """At 320 px wide: what sticks out of the page sideways (empty when it reflows)."""
    size = page.viewport_size
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": size["height"] if size else 800})
    try:
        return page.evaluate(
            """(limit) => {
                const root = document.documentElement;
                if (root.scrollWidth <= limit + 1) return [];
                const right = (el) => Math.round(el.getBoundingClientRect().right);
                const sticksOut = (el) => right(el) > limit + 1;
                const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                    + (typeof el.className === 'string' && el.className.trim()
                        ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
                const wide = [...document.querySelectorAll('body *')].filter(
                    (el) => sticksOut(el) && !(el.parentElement && sticksOut(el.parentElement)));
                return [`page ${root.scrollWidth} px wide`, ...wide.slice(0, 8).map(
                    (el) => `${name(el)} (right edge ${right(el)} px)`)];
            }""",
            REFLOW_WIDTH,
        )
    finally:
        if size:
            page.set_viewport_size(size)


def assert_reflows(page: Any) -> None:
    overflow = page_overflow(page)
    if overflow:
        raise AssertionError(
            f"{page.url} scrolls sideways at {REFLOW_WIDTH} px (WCAG 1.4.10): "
            + "; ".join(overflow)
        )
