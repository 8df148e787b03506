"""wrk's side of the HTTP bench (bench/http_bench.py): a page's Lua script, wrk's report read."""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class WrkResult:
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx_3xx: int = 0
    socket_errors: int = 0


def _ms(value: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if found is None:
        raise ValueError(f"not a wrk duration: {value!r}")
    return float(found.group(1)) * UNITS_MS[found.group(2)]


def parse(output: str) -> WrkResult:
    """The figures of `wrk --latency`'s report."""
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    total = re.search(r"^\s*(\d+) requests in ", output, re.MULTILINE)
    if rps is None or total is None:
        raise ValueError(f"not a wrk report:\n{output}")
    latency = {
        pct: _ms(value)
        for pct, value in re.findall(r"^\s+(50|99)(?:\.000)?%\s+(\S+)", output, re.MULTILINE)
    }
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return WrkResult(
        requests=int(total.group(1)),
        rps=float(rps.group(1)),
        p50_ms=latency.get("50", 0.0),
        p99_ms=latency.get("99", 0.0),
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in sockets.groups()) if sockets else 0,
    )


def _lua_string(value: str) -> str:
    if any(c in value for c in '\\"\n\r'):
        raise ValueError(f"not for a Lua string: {value!r}")
    return f'"{value}"'


def lua_script(
    paths: list[str], cookies: dict[str, str], method: str = "GET", body: str = ""
) -> str:
    """A wrk script: each request to one of `paths` at random, with the cookies; a POST
    sends `body` with a fresh 32-hex-digit form_token each time (the app's @submitted_once
    takes a repeated token for the same form sent twice)."""
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    lines = [
        "paths = {" + ", ".join(_lua_string(p) for p in paths) + "}",
        f"wrk.method = {_lua_string(method)}",
        f'wrk.headers["Cookie"] = {_lua_string(cookie)}',
    ]
    if method == "POST":
        lines += [
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"',
            f"body = {_lua_string(body)}",
            "function token()",
            "  local t = {}",
            "  for i = 1, 32 do t[i] = string.format('%x', math.random(0, 15)) end",
            "  return table.concat(t)",
            "end",
            "request = function()",
            "  local path = paths[math.random(#paths)]",
            '  return wrk.format(nil, path, nil, body .. "&form_token=" .. token())',
            "end",
        ]
    else:
        lines += [
            "request = function()",
            "  return wrk.format(nil, paths[math.random(#paths)])",
            "end",
        ]
    lines += ["init = function(args) math.randomseed(os.time()) end"]
    return "\n".join(lines) + "\n"
