"""MultiDict, ImmutableMultiDict, Headers, EnvironHeaders and MIMEAccept."""

from __future__ import annotations

import pytest

from microwsgi.datastructures import (
    EnvironHeaders,
    Headers,
    ImmutableMultiDict,
    MIMEAccept,
    MultiDict,
)
from microwsgi.exceptions import BadRequest, BadRequestKeyError

# -- MultiDict ---------------------------------------------------------------


def test_multidict_getitem_returns_first_value():
    md = MultiDict([("a", "1"), ("a", "2")])
    assert md["a"] == "1"


def test_multidict_missing_key_raises_bad_request_key_error():
    with pytest.raises(BadRequestKeyError) as caught:
        MultiDict()["missing"]
    assert caught.value.code == 400
    assert "missing" in caught.value.description


def test_multidict_missing_key_is_still_a_key_error():
    with pytest.raises(KeyError):
        MultiDict()["missing"]


def test_multidict_getlist_returns_all_values_in_order():
    md = MultiDict([("a", "1"), ("b", "x"), ("a", "2")])
    assert md.getlist("a") == ["1", "2"]


def test_multidict_getlist_of_missing_key_is_empty():
    assert MultiDict().getlist("a") == []


def test_multidict_getlist_type_drops_values_that_do_not_convert():
    md = MultiDict([("n", "1"), ("n", "x"), ("n", "3")])
    assert md.getlist("n", type=int) == [1, 3]


def test_multidict_get_returns_default_when_missing():
    assert MultiDict().get("a", "fallback") == "fallback"


def test_multidict_get_converts_with_type():
    assert MultiDict({"page": "3"}).get("page", type=int) == 3


def test_multidict_get_returns_default_when_type_rejects_value():
    assert MultiDict({"page": "abc"}).get("page", 1, type=int) == 1


def test_multidict_get_returns_default_when_type_raises_type_error():
    def picky(value):
        raise TypeError("no")

    assert MultiDict({"a": "1"}).get("a", "d", type=picky) == "d"


def test_multidict_from_mapping_with_list_values_keeps_every_value():
    md = MultiDict({"a": ["1", "2"], "b": "3"})
    assert md.getlist("a") == ["1", "2"]
    assert md["b"] == "3"


def test_multidict_add_appends_a_value():
    md = MultiDict({"a": "1"})
    md.add("a", "2")
    assert md.getlist("a") == ["1", "2"]


def test_multidict_setitem_replaces_all_values():
    md = MultiDict([("a", "1"), ("a", "2")])
    md["a"] = "3"
    assert md.getlist("a") == ["3"]


def test_multidict_setlist_replaces_values():
    md = MultiDict({"a": "1"})
    md.setlist("a", ["x", "y"])
    assert md.getlist("a") == ["x", "y"]


def test_multidict_setlist_with_empty_list_removes_key():
    md = MultiDict({"a": "1"})
    md.setlist("a", [])
    assert "a" not in md


def test_multidict_items_gives_first_values():
    md = MultiDict([("a", "1"), ("a", "2"), ("b", "3")])
    assert list(md.items()) == [("a", "1"), ("b", "3")]


def test_multidict_items_multi_gives_every_pair():
    md = MultiDict([("a", "1"), ("b", "3"), ("a", "2")])
    assert list(md.items(multi=True)) == [("a", "1"), ("a", "2"), ("b", "3")]


def test_multidict_lists_gives_all_values_per_key():
    md = MultiDict([("a", "1"), ("a", "2")])
    assert list(md.lists()) == [("a", ["1", "2"])]


def test_multidict_keys_values_iter_len_contains_behave_like_a_dict():
    md = MultiDict([("a", "1"), ("a", "2"), ("b", "3")])
    assert list(md.keys()) == ["a", "b"]
    assert list(md.values()) == ["1", "3"]
    assert list(md) == ["a", "b"]
    assert len(md) == 2
    assert "a" in md
    assert "z" not in md


def test_multidict_to_dict_flat_and_not_flat():
    md = MultiDict([("a", "1"), ("a", "2")])
    assert md.to_dict() == {"a": "1"}
    assert md.to_dict(flat=False) == {"a": ["1", "2"]}


def test_multidict_dict_of_it_uses_first_values():
    assert dict(MultiDict([("a", "1"), ("a", "2")])) == {"a": "1"}


def test_multidict_copy_is_independent():
    md = MultiDict({"a": "1"})
    copy = md.copy()
    copy.add("a", "2")
    assert md.getlist("a") == ["1"]


def test_multidict_equality_compares_all_values():
    assert MultiDict([("a", "1"), ("a", "2")]) == MultiDict([("a", "1"), ("a", "2")])
    assert MultiDict([("a", "1"), ("a", "2")]) != MultiDict([("a", "1")])


def test_multidict_equals_a_plain_dict_of_first_values():
    assert MultiDict({"a": "1"}) == {"a": "1"}


def test_multidict_repr_shows_every_pair():
    assert repr(MultiDict([("a", "1"), ("a", "2")])) == "MultiDict([('a', '1'), ('a', '2')])"


def test_multidict_pop_missing_without_default_raises_key_error():
    with pytest.raises(KeyError):
        MultiDict().pop("a")


def test_multidict_pop_returns_first_value_and_removes_key():
    md = MultiDict([("a", "1"), ("a", "2")])
    assert md.pop("a") == "1"
    assert "a" not in md


def test_multidict_update_adds_values():
    md = MultiDict({"a": "1"})
    md.update({"a": "2"})
    assert md.getlist("a") == ["1", "2"]


# -- ImmutableMultiDict --------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        lambda md: md.__setitem__("a", "2"),
        lambda md: md.__delitem__("a"),
        lambda md: md.add("a", "2"),
        lambda md: md.setlist("a", ["2"]),
        lambda md: md.setdefault("b", "2"),
        lambda md: md.pop("a"),
        lambda md: md.update({"b": "2"}),
        lambda md: md.clear(),
    ],
    ids=["setitem", "delitem", "add", "setlist", "setdefault", "pop", "update", "clear"],
)
def test_immutable_multidict_refuses_changes(change):
    md = ImmutableMultiDict({"a": "1"})
    with pytest.raises(TypeError, match="read-only"):
        change(md)
    assert md.getlist("a") == ["1"]


def test_immutable_multidict_copy_is_mutable():
    copy = ImmutableMultiDict({"a": "1"}).copy()
    copy["a"] = "2"
    assert copy["a"] == "2"
    assert type(copy) is MultiDict


def test_immutable_multidict_reads_like_a_multidict():
    md = ImmutableMultiDict([("a", "1"), ("a", "2")])
    assert md["a"] == "1"
    assert md.getlist("a") == ["1", "2"]


# -- Headers -------------------------------------------------------------------


def test_headers_lookup_ignores_case():
    headers = Headers([("Content-Type", "text/html")])
    assert headers["content-type"] == "text/html"
    assert "CONTENT-TYPE" in headers


def test_headers_missing_name_raises_plain_key_error():
    with pytest.raises(KeyError) as caught:
        Headers()["X-Missing"]
    assert not isinstance(caught.value, BadRequest)


def test_headers_keep_several_values_per_name():
    headers = Headers()
    headers.add("Set-Cookie", "a=1")
    headers.add("Set-Cookie", "b=2")
    assert headers.getlist("set-cookie") == ["a=1", "b=2"]
    assert headers["Set-Cookie"] == "a=1"


def test_headers_setitem_replaces_all_values_in_place_of_the_first():
    headers = Headers([("A", "1"), ("X", "1"), ("B", "2"), ("x", "2")])
    headers["X"] = "new"
    assert headers.to_wsgi_list() == [("A", "1"), ("X", "new"), ("B", "2")]


def test_headers_set_appends_a_new_name():
    headers = Headers([("A", "1")])
    headers.set("B", "2")
    assert headers.to_wsgi_list() == [("A", "1"), ("B", "2")]


def test_headers_store_int_values_as_str():
    headers = Headers()
    headers["MY_HEADER"] = 1234
    assert headers["MY_HEADER"] == "1234"
    assert headers.to_wsgi_list() == [("MY_HEADER", "1234")]


def test_headers_store_bytes_values_as_latin1_text():
    headers = Headers()
    headers["X-Raw"] = b"abc"
    assert headers["X-Raw"] == "abc"


def test_headers_keep_the_case_the_name_was_given_in():
    headers = Headers()
    headers.add("x-CuStOm", "1")
    assert headers.keys() == ["x-CuStOm"]


def test_headers_constructor_accepts_a_mapping():
    headers = Headers({"A": "1", "B": ["2", "3"]})
    assert headers.to_wsgi_list() == [("A", "1"), ("B", "2"), ("B", "3")]


def test_headers_constructor_accepts_none():
    assert len(Headers(None)) == 0


def test_headers_iterate_as_name_value_pairs():
    headers = Headers([("A", "1"), ("B", "2")])
    assert list(headers) == [("A", "1"), ("B", "2")]
    assert headers.items() == [("A", "1"), ("B", "2")]
    assert len(headers) == 2


def test_headers_get_with_default_and_type():
    headers = Headers([("Content-Length", "12"), ("X-Bad", "abc")])
    assert headers.get("content-length", type=int) == 12
    assert headers.get("X-Bad", 0, type=int) == 0
    assert headers.get("Missing", "d") == "d"


def test_headers_getlist_with_type_drops_bad_values():
    headers = Headers([("N", "1"), ("N", "x")])
    assert headers.getlist("n", type=int) == [1]


def test_headers_delitem_removes_every_value_of_the_name():
    headers = Headers([("A", "1"), ("a", "2"), ("B", "3")])
    del headers["A"]
    assert headers.to_wsgi_list() == [("B", "3")]


def test_headers_remove_of_missing_name_is_not_an_error():
    headers = Headers([("A", "1")])
    headers.remove("Missing")
    assert headers.to_wsgi_list() == [("A", "1")]


def test_headers_setdefault_adds_only_when_missing():
    headers = Headers([("A", "1")])
    assert headers.setdefault("a", "2") == "1"
    assert headers.setdefault("B", 3) == "3"
    assert headers.to_wsgi_list() == [("A", "1"), ("B", "3")]


def test_headers_pop_removes_and_returns_first_value():
    headers = Headers([("A", "1"), ("A", "2")])
    assert headers.pop("a") == "1"
    assert "A" not in headers


def test_headers_extend_adds_without_replacing():
    headers = Headers([("A", "1")])
    headers.extend([("A", "2")])
    headers.extend({"B": "3"})
    assert headers.to_wsgi_list() == [("A", "1"), ("A", "2"), ("B", "3")]


def test_headers_update_replaces_names_it_brings():
    headers = Headers([("A", "1"), ("B", "2")])
    headers.update({"a": "new"})
    assert headers.to_wsgi_list() == [("B", "2"), ("a", "new")]


def test_headers_copy_is_independent():
    headers = Headers([("A", "1")])
    copy = headers.copy()
    copy.add("B", "2")
    assert headers.to_wsgi_list() == [("A", "1")]


def test_headers_to_wsgi_list_is_a_list_of_str_tuples():
    wsgi_list = Headers({"A": 1}).to_wsgi_list()
    assert wsgi_list == [("A", "1")]
    assert all(type(name) is str and type(value) is str for name, value in wsgi_list)


def test_headers_repr_shows_pairs():
    assert repr(Headers([("A", "1")])) == "Headers([('A', '1')])"


@pytest.mark.parametrize("bad", ["a\r\nSet-Cookie: x=1", "a\nb", "a\rb", "a\x00b"])
def test_headers_refuse_line_breaks_and_nul_in_values(bad):
    headers = Headers()
    with pytest.raises(ValueError, match="X-Name") as caught:
        headers["X-Name"] = bad
    assert "injection" in str(caught.value)
    assert len(headers) == 0


@pytest.mark.parametrize("bad", ["Bad Name", "Bad:Name", "Bad\r\nName", "", "Bad\x00"])
def test_headers_refuse_names_that_are_not_tokens(bad):
    with pytest.raises(ValueError, match="Invalid header name"):
        Headers().add(bad, "value")


def test_headers_refuse_injection_through_the_constructor():
    with pytest.raises(ValueError):
        Headers({"Location": "/\r\nX-Evil: 1"})


def test_headers_refuse_text_outside_latin1_with_advice():
    with pytest.raises(ValueError, match="Latin-1") as caught:
        Headers().add("X-Name", "€")
    assert "quote" in str(caught.value)


def test_headers_accept_latin1_text():
    headers = Headers()
    headers.add("X-Name", "café")
    assert headers["X-Name"] == "café"


def test_headers_refuse_non_str_names():
    with pytest.raises(TypeError):
        Headers().add(b"X-Name", "1")  # type: ignore[arg-type]


# -- EnvironHeaders ------------------------------------------------------------


def _environ(**extra):
    environ = {
        "REQUEST_METHOD": "GET",
        "HTTP_HOST": "example.com",
        "HTTP_X_API_KEY": "secret",
        "CONTENT_TYPE": "text/plain",
        "CONTENT_LENGTH": "",
        "wsgi.input": None,
    }
    environ.update(extra)
    return environ


def test_environ_headers_lookup_ignores_case_and_dashes():
    headers = EnvironHeaders(_environ())
    assert headers["x-api-key"] == "secret"
    assert headers["X-Api-Key"] == "secret"


def test_environ_headers_read_content_type_without_http_prefix():
    assert EnvironHeaders(_environ())["Content-Type"] == "text/plain"


def test_environ_headers_missing_header_is_a_400_key_error():
    with pytest.raises(BadRequestKeyError) as caught:
        EnvironHeaders(_environ())["X-Token"]
    assert caught.value.code == 400
    assert isinstance(caught.value, KeyError)


def test_environ_headers_treat_empty_content_length_as_absent():
    headers = EnvironHeaders(_environ())
    assert "Content-Length" not in headers
    assert headers.get("Content-Length") is None


def test_environ_headers_get_and_getlist():
    headers = EnvironHeaders(_environ(HTTP_X_COUNT="5"))
    assert headers.get("X-Count", type=int) == 5
    assert headers.get("Missing", "d") == "d"
    assert headers.getlist("x-count") == ["5"]
    assert headers.getlist("Missing") == []


def test_environ_headers_iterate_as_title_case_pairs():
    headers = EnvironHeaders(_environ())
    assert sorted(headers) == [
        ("Content-Type", "text/plain"),
        ("Host", "example.com"),
        ("X-Api-Key", "secret"),
    ]
    assert len(headers) == 3
    assert sorted(headers.keys()) == ["Content-Type", "Host", "X-Api-Key"]
    assert sorted(headers.items()) == sorted(headers)


def test_environ_headers_are_read_only():
    headers = EnvironHeaders(_environ())
    with pytest.raises(TypeError):
        headers["X-New"] = "1"  # type: ignore[index]


# -- MIMEAccept ----------------------------------------------------------------


def test_mime_accept_quality_uses_most_specific_match():
    accept = MIMEAccept([("text/html", 1.0), ("text/*", 0.5), ("*/*", 0.1)])
    assert accept.quality("text/html") == 1.0
    assert accept.quality("text/plain") == 0.5
    assert accept.quality("image/png") == 0.1


def test_mime_accept_contains_respects_zero_quality():
    accept = MIMEAccept([("application/json", 0.0), ("*/*", 1.0)])
    assert "application/json" not in accept
    assert "text/html" in accept


def test_mime_accept_best_match_picks_highest_quality():
    accept = MIMEAccept([("application/json", 1.0), ("text/html", 0.8)])
    assert accept.best_match(["text/html", "application/json"]) == "application/json"
    assert accept.best_match(["image/png"], default="x") == "x"
    assert accept.accept_json
    assert accept.best == "application/json"
