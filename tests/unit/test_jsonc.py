from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcp_dockernet.mcpconfig.jsonc import MAX_DEPTH, JsonSyntaxError, parse

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@given(json_values, st.sampled_from([None, 2]))
@settings(max_examples=200)
def test_agrees_with_the_standard_library_and_spans_cover_each_value(value, indent):
    text = json.dumps(value, indent=indent)
    parsed = parse(text)
    assert parsed.value == value
    for path, (start, end) in parsed.spans.items():
        node = value
        for key in path:
            node = node[key]
        assert json.loads(text[start:end]) == node


@given(st.text(max_size=60))
@settings(max_examples=300)
def test_any_text_parses_or_fails_cleanly(text):
    try:
        parse(text, jsonc=True)
    except JsonSyntaxError as e:
        assert e.line >= 1 and e.column >= 1


@pytest.mark.parametrize(
    "text, message, line",
    [
        ("", "the file is empty", 1),
        ('{\n  "a": 1,\n}', "expected a quoted key", 3),
        ('{"a": 1} x', "unexpected text", 1),
        ('{"a": // no\n 1}', "comments are not allowed", 1),
        ('{\n\n"a": tru}', "unexpected character", 3),
        ('{"a": "unterminated}', "invalid or unterminated string", 1),
    ],
)
def test_strict_errors_name_the_line(text, message, line):
    with pytest.raises(JsonSyntaxError) as caught:
        parse(text)
    assert message in caught.value.message
    assert caught.value.line == line


def test_jsonc_accepts_comments_and_trailing_commas():
    text = '{\n  // a comment\n  "servers": {"a": {"url": "http://x/mcp",},}, /* block */\n}'
    parsed = parse(text, jsonc=True)
    assert parsed.value == {"servers": {"a": {"url": "http://x/mcp"}}}
    start, end = parsed.spans[("servers", "a", "url")]
    assert text[start:end] == '"http://x/mcp"'


def test_deep_nesting_is_refused_not_a_crash():
    with pytest.raises(JsonSyntaxError, match="nested more than"):
        parse("[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5))
