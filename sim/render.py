"""Rendering of the report and the notes from the Jinja2 templates in `sim/templates/`.

One environment for every output: the HTML report (`report.html.j2`, its CSS `report.css` inlined
into the page), the calibration note (`fit.md.j2`, `sim calibrate`) and the back-cast note
(`backcast.md.j2`, `sim backcast`). Python prepares plain data (dicts, lists, numbers, strings);
the templates lay it out. HTML templates are autoescaped (text from data files cannot inject
markup), Markdown templates are not. A variable a template uses but is not given is an error
(`jinja2.StrictUndefined`), never an empty string. The `num` filter formats a number with a Python
format spec: `{{ x|num(",.2f") }}`.
"""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).parent / "templates"
HTML_SUFFIXES = (".html", ".html.j2")


def autoescaped(name: str | None) -> bool:
    """HTML templates escape what they insert; Markdown and CSS are copied as they are."""
    return name is not None and name.endswith(HTML_SUFFIXES)


def _num(value, spec: str = "") -> str:
    return format(value, spec)


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The package's template environment (loaded once)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=autoescaped,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters["num"] = _num
    return env


def render(name: str, /, **context) -> str:
    """Template `name` (a file in sim/templates/) rendered with `context`."""
    return environment().get_template(name).render(**context)
