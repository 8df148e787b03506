"""wrk's report read, and the Lua script a page runs (bench/wrk.py)."""

from __future__ import annotations

import pytest

from bench.wrk import lua_script, parse

REPORT = """\
Running 10s test @ http://127.0.0.1:8040
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    18.52ms    4.10ms  61.33ms   80.12%
    Req/Sec   432.51     40.21   505.00     71.00%
  Latency Distribution
     50%   17.90ms
     75%   20.11ms
     90%   23.40ms
     99%    1.02s
  4312 requests in 10.01s, 38.61MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 7
Requests/sec:    430.83
Transfer/sec:      3.86MB
"""


def test_reads_the_rate_the_latencies_and_the_errors():
    result = parse(REPORT)
    assert result.requests == 4312
    assert result.rps == 430.83
    assert result.p50_ms == pytest.approx(17.9)
    assert result.p99_ms == pytest.approx(1020.0)  # seconds turned into ms
    assert result.non_2xx_3xx == 7
    assert result.socket_errors == 3


def test_a_clean_run_has_no_errors():
    clean = "\n".join(
        line for line in REPORT.splitlines() if not line.startswith(("  Socket", "  Non-2xx"))
    )
    result = parse(clean.replace("50%   17.90ms", "50%  950.00us"))
    assert (result.non_2xx_3xx, result.socket_errors) == (0, 0)
    assert result.p50_ms == pytest.approx(0.95)


def test_refuses_what_is_not_a_wrk_report():
    with pytest.raises(ValueError, match="not a wrk report"):
        parse("unable to connect to 127.0.0.1:8040 Connection refused")


def test_a_get_script_picks_among_the_paths_with_the_cookies():
    script = lua_script(["/patients/1/", "/patients/2/"], {"sessionid": "abc", "csrftoken": "x"})
    assert 'paths = {"/patients/1/", "/patients/2/"}' in script
    assert 'wrk.headers["Cookie"] = "sessionid=abc; csrftoken=x"' in script
    assert 'wrk.method = "GET"' in script
    assert "form_token" not in script


def test_a_post_script_sends_a_fresh_form_token_each_request():
    script = lua_script(["/portal/diary/day/2026-12-08/"], {"s": "1"}, "POST", "headache=yes")
    assert 'wrk.method = "POST"' in script
    assert "application/x-www-form-urlencoded" in script
    assert 'body .. "&form_token=" .. token()' in script
    assert "for i = 1, 32 do" in script


def test_refuses_a_value_that_would_break_the_lua_string():
    with pytest.raises(ValueError):
        lua_script(['/a"b'], {})
