"""JSON from model answers: repaired when damaged, with plain lines as the last resort.

Constrained decoding (a grammar or JSON mode) makes damage rare, but cloud servers that ignore
``response_format`` and older local runtimes still return fenced, single-quoted or cut-off JSON.
"""

from __future__ import annotations

import json
import re

from moneyprinter.text.chatter import BadOutput, strip_chatter

_FENCE = re.compile(r"```[a-zA-Z]*")
_QUOTES = "\"'\u201c\u201d\u2018\u2019`"


def parse_json_array(text: str) -> list[str]:
    """A list of strings from a JSON array, repairing the usual damage; lines as a last resort."""
    text = _FENCE.sub("", text).strip()
    start = text.find("[")
    if start >= 0:
        end = text.rfind("]")
        chunk = text[start : end + 1] if end > start else text[start:] + "]"
        for candidate in _repairs(chunk):
            try:
                value = json.loads(candidate)
            except json.JSONDecodeError:
                continue
            if isinstance(value, list):
                items = [_item_text(v) for v in value]
                items = [i for i in items if i]
                if items:
                    return items
        quoted = re.findall(r'"((?:[^"\\]|\\.){3,})"', chunk)
        if quoted:
            return [q.strip() for q in quoted if q.strip()]
    lines = [strip_chatter(line) for line in text.splitlines()]
    items = [line.strip(_QUOTES + ",[] ") for line in lines if len(line.split()) >= 2]
    if items:
        return items
    raise BadOutput("no JSON array of prompts in the answer")


def _repairs(chunk: str):
    """The chunk as given, then with curly quotes, trailing commas, single quotes and missing commas fixed."""
    yield chunk
    fixed = chunk.replace("\u201c", '"').replace("\u201d", '"').replace("\u2018", "'").replace("\u2019", "'")
    fixed = re.sub(r",\s*([\]}])", r"\1", fixed)  # trailing commas
    yield fixed
    yield re.sub(r"(?<=[\[,])\s*'([^']*)'\s*(?=[,\]])", lambda m: json.dumps(m.group(1)), fixed)  # single quotes
    yield re.sub(r'"\s*\n\s*"', '", "', fixed)  # missing commas between lines
    yield _closed(fixed)  # cut off by the token limit


def _closed(chunk: str) -> str:
    """Close the strings, arrays and objects a cut-off answer left open."""
    stack, in_string, escaped = [], False, False
    for ch in chunk:
        if in_string:
            in_string = escaped or ch != '"'
            escaped = ch == "\\" and not escaped
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            stack.append("]" if ch == "[" else "}")
        elif ch in "]}" and stack:
            stack.pop()
    text = chunk + ('"' if in_string else "")
    text = re.sub(r',\s*$|,?\s*"[^"]*"\s*:\s*$', "", text.rstrip()) if stack else text
    return text + "".join(reversed(stack))


def _item_text(value) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        for key in ("prompt", "image_prompt", "description", "text"):
            if isinstance(value.get(key), str):
                return value[key].strip()
    return ""




def parse_json_object(text: str) -> dict | None:
    """The first JSON object in the answer (repaired like arrays are), or None when there is none."""
    text = _FENCE.sub("", text).strip()
    start = text.find("{")
    if start < 0:
        return None
    end = text.rfind("}")
    chunk = text[start : end + 1] if end > start else text[start:] + "}"
    for candidate in _repairs(chunk):
        try:
            value = json.loads(candidate, strict=False)  # raw newlines inside strings are common
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            return value
    return None
