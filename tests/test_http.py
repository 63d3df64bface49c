"""Header grammar: options headers, Accept, cookies and HTTP dates."""

from __future__ import annotations

import warnings
from datetime import UTC, date, datetime, timedelta, timezone
from http.cookies import SimpleCookie

import pytest

from microwsgi.datastructures import ImmutableMultiDict
from microwsgi.http import (
    dump_cookie,
    http_date,
    parse_accept,
    parse_cookie,
    parse_http_date,
    parse_options_header,
)

# -- parse_options_header ------------------------------------------------------


def test_parse_options_header_splits_value_and_options():
    assert parse_options_header("text/html; charset=utf-8") == ("text/html", {"charset": "utf-8"})


def test_parse_options_header_unquotes_quoted_values():
    value, options = parse_options_header('multipart/form-data; boundary="a;b c"')
    assert value == "multipart/form-data"
    assert options == {"boundary": "a;b c"}


def test_parse_options_header_handles_escapes_in_quoted_values():
    _, options = parse_options_header(r'attachment; filename="say \"hi\".txt"')
    assert options["filename"] == 'say "hi".txt'


def test_parse_options_header_lowercases_option_names():
    _, options = parse_options_header("text/plain; CharSet=UTF-8")
    assert options == {"charset": "UTF-8"}


def test_parse_options_header_keeps_several_options():
    _, options = parse_options_header("a; x=1;y=2 ; z")
    assert options == {"x": "1", "y": "2", "z": ""}


def test_parse_options_header_of_empty_value():
    assert parse_options_header("") == ("", {})
    assert parse_options_header(None) == ("", {})


# -- parse_accept ----------------------------------------------------------------


def test_parse_accept_sorts_best_first():
    parsed = parse_accept("text/html;q=0.5, application/json, */*;q=0.1")
    assert parsed == [("application/json", 1.0), ("text/html", 0.5), ("*/*", 0.1)]


def test_parse_accept_keeps_client_order_on_ties():
    assert [value for value, _ in parse_accept("b/b, a/a")] == ["b/b", "a/a"]


def test_parse_accept_skips_items_with_unreadable_quality():
    assert parse_accept("text/html;q=abc, text/plain") == [("text/plain", 1.0)]


def test_parse_accept_clamps_quality_to_zero_one():
    assert parse_accept("a/a;q=5, b/b;q=-1") == [("a/a", 1.0), ("b/b", 0.0)]


def test_parse_accept_lowercases_values():
    assert parse_accept("Text/HTML") == [("text/html", 1.0)]


def test_parse_accept_of_missing_header_is_empty():
    assert parse_accept(None) == []


# -- parse_cookie ------------------------------------------------------------------


def test_parse_cookie_reads_pairs():
    cookies = parse_cookie("a=1; b=two")
    assert isinstance(cookies, ImmutableMultiDict)
    assert cookies.to_dict() == {"a": "1", "b": "two"}


def test_parse_cookie_keeps_repeated_names_in_order():
    assert parse_cookie("a=1; a=2").getlist("a") == ["1", "2"]


def test_parse_cookie_skips_broken_pieces():
    assert parse_cookie("junk; =nameless; ok=1;;").to_dict() == {"ok": "1"}


def test_parse_cookie_reads_empty_values():
    assert parse_cookie("a=")["a"] == ""


def test_parse_cookie_unquotes_quoted_values():
    assert parse_cookie('a="x y"')["a"] == "x y"


def test_parse_cookie_decodes_raw_utf8_bytes_given_as_latin1():
    header = "name=" + "é".encode().decode("latin-1")
    assert parse_cookie(header)["name"] == "é"


def test_parse_cookie_replaces_invalid_utf8_instead_of_failing():
    assert parse_cookie("a=\xff")["a"] == "\ufffd"


def test_parse_cookie_of_missing_header_is_empty():
    assert len(parse_cookie(None)) == 0


# -- dump_cookie -------------------------------------------------------------------


def test_dump_cookie_minimal():
    assert dump_cookie("theme", "dark") == "theme=dark; Path=/"


def test_dump_cookie_all_attributes_in_order():
    header = dump_cookie(
        "sid",
        "abc",
        max_age=60,
        expires=0,
        path="/app",
        domain="example.com",
        secure=True,
        httponly=True,
        samesite="lax",
    )
    assert header == (
        "sid=abc; Domain=example.com; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60; "
        "Path=/app; Secure; HttpOnly; SameSite=Lax"
    )


def test_dump_cookie_max_age_as_timedelta():
    assert "Max-Age=7200" in dump_cookie("a", max_age=timedelta(hours=2))


def test_dump_cookie_expires_as_datetime():
    moment = datetime(2030, 5, 17, 12, 0, 0, tzinfo=UTC)
    assert "Expires=Fri, 17 May 2030 12:00:00 GMT" in dump_cookie("a", expires=moment)


def test_dump_cookie_expires_as_string_is_used_as_given():
    assert "Expires=Wed, 21 Oct 2037 07:28:00 GMT" in dump_cookie(
        "a", expires="Wed, 21 Oct 2037 07:28:00 GMT"
    )


def test_dump_cookie_without_path():
    assert dump_cookie("a", "1", path=None) == "a=1"


@pytest.mark.parametrize("samesite", ["strict", "STRICT", "Strict"])
def test_dump_cookie_samesite_is_case_insensitive(samesite):
    assert dump_cookie("a", samesite=samesite).endswith("SameSite=Strict")


def test_dump_cookie_samesite_none_is_written():
    assert dump_cookie("a", secure=True, samesite="none").endswith("Secure; SameSite=None")


def test_dump_cookie_rejects_unknown_samesite():
    with pytest.raises(ValueError, match="samesite"):
        dump_cookie("a", samesite="sometimes")


@pytest.mark.parametrize("key", ["bad name", "bad;name", "a=b", "", "ü", 'q"'])
def test_dump_cookie_rejects_invalid_names(key):
    with pytest.raises(ValueError, match="cookie name"):
        dump_cookie(key, "1")


def test_dump_cookie_rejects_injection_in_the_domain():
    with pytest.raises(ValueError, match="domain"):
        dump_cookie("a", "1", domain="example.com; HttpOnly\r\nSet-Cookie: evil=1")


def test_dump_cookie_percent_encodes_a_semicolon_in_the_path_so_it_cannot_add_attributes():
    header = dump_cookie("a", "1", path="/x; HttpOnly")
    assert header == "a=1; Path=/x%3B%20HttpOnly"


def test_dump_cookie_refuses_a_line_break_in_the_path():
    with pytest.raises(ValueError, match="path"):
        dump_cookie("a", "1", path="/x\r\nSet-Cookie: evil=1")


def test_dump_cookie_writes_a_non_ascii_path_percent_encoded():
    assert dump_cookie("a", "1", path="/café/") == "a=1; Path=/caf%C3%A9/"


@pytest.mark.parametrize(
    ("given", "written"),
    [
        (".example.com", "example.com"),
        ("example.com:8080", "example.com"),
        ("bücher.de", "xn--bcher-kva.de"),
    ],
)
def test_dump_cookie_normalises_the_domain(given, written):
    assert dump_cookie("a", "1", domain=given, path=None) == f"a=1; Domain={written}"


def test_dump_cookie_partitioned_implies_secure():
    assert dump_cookie("a", "1", partitioned=True) == "a=1; Path=/; Secure; Partitioned"


def test_dump_cookie_writes_expires_from_max_age_only_when_asked():
    assert dump_cookie("a", "1", max_age=60, path=None) == "a=1; Max-Age=60"
    synced = dump_cookie("a", "1", max_age=60, path=None, sync_expires=True)
    assert synced.startswith("a=1; Expires=") and synced.endswith(" GMT; Max-Age=60")


def test_dump_cookie_warns_about_a_cookie_browsers_would_drop():
    with pytest.warns(UserWarning, match="'big' cookie is too large"):
        header = dump_cookie("big", "x" * 5000)
    assert header.startswith("big=xxx")  # still written: the warning is the help
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dump_cookie("big", "x" * 5000, max_size=0)


def test_dump_cookie_leaves_plain_values_unquoted():
    assert dump_cookie("a", "abc-123_.~!", path=None) == "a=abc-123_.~!"


@pytest.mark.parametrize("value", ["two words", "semi;colon", "com,ma", 'qu"ote', "back\\slash"])
def test_dump_cookie_quotes_values_that_need_it(value):
    header = dump_cookie("a", value, path=None)
    assert header.startswith('a="')
    assert header.isascii()
    assert ";" not in header
    assert " " not in header


@pytest.mark.parametrize("value", ["two words", 'qu"ote;x', "back\\slash", "한국어 é", ""])
def test_cookie_value_round_trips_through_dump_and_parse(value):
    header = dump_cookie("a", value, path=None)
    assert parse_cookie(header)["a"] == value


def test_quoted_cookie_value_is_readable_by_the_stdlib():
    cookie = SimpleCookie()
    cookie.load(dump_cookie("a", "two words", path=None))
    assert cookie["a"].value == "two words"


# -- dates -------------------------------------------------------------------------


def test_http_date_formats_imf_fixdate():
    assert http_date(datetime(1994, 11, 6, 8, 49, 37, tzinfo=UTC)) == (
        "Sun, 06 Nov 1994 08:49:37 GMT"
    )


def test_http_date_treats_naive_datetime_as_utc():
    assert http_date(datetime(1994, 11, 6, 8, 49, 37)) == "Sun, 06 Nov 1994 08:49:37 GMT"


def test_http_date_converts_other_zones_to_gmt():
    plus_two = timezone(timedelta(hours=2))
    assert http_date(datetime(1994, 11, 6, 10, 49, 37, tzinfo=plus_two)) == (
        "Sun, 06 Nov 1994 08:49:37 GMT"
    )


def test_http_date_from_timestamp():
    assert http_date(0) == "Thu, 01 Jan 1970 00:00:00 GMT"
    assert http_date(784111777.0) == "Sun, 06 Nov 1994 08:49:37 GMT"


def test_http_date_from_date():
    assert http_date(date(1994, 11, 6)) == "Sun, 06 Nov 1994 00:00:00 GMT"


def test_http_date_without_argument_is_now():
    before = datetime.now(UTC).replace(microsecond=0)
    parsed = parse_http_date(http_date())
    assert parsed is not None
    assert before <= parsed <= datetime.now(UTC)


def test_parse_http_date_reads_imf_fixdate():
    assert parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == datetime(
        1994, 11, 6, 8, 49, 37, tzinfo=UTC
    )


def test_parse_http_date_reads_asctime_format_as_utc():
    assert parse_http_date("Sun Nov  6 08:49:37 1994") == datetime(
        1994, 11, 6, 8, 49, 37, tzinfo=UTC
    )


@pytest.mark.parametrize("value", ["", None, "yesterday", "Sun, 99 Foo 1994 99:99:99 GMT"])
def test_parse_http_date_returns_none_for_garbage(value):
    assert parse_http_date(value) is None


def test_http_date_round_trips():
    moment = datetime(2031, 2, 3, 4, 5, 6, tzinfo=UTC)
    assert parse_http_date(http_date(moment)) == moment
