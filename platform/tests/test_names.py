"""Names, addresses and free text: accepted and refused, and free text kept literal through dbt's Jinja."""

import re

import jinja2
import pytest

from mesh_platform.errors import MeshError
from mesh_platform.names import check_email, check_name, check_team_handle, check_text
from mesh_platform.writers.jinja import dbt_literal, typed_text


@pytest.mark.parametrize("name", ["support", "customer_support", "ab", "x" + "1" * 40])
def test_good_names(name):
    assert check_name("domain", name) == name


@pytest.mark.parametrize("name, message", [
    ("../x", "is not allowed"), ("a/b", "is not allowed"), ("x; drop table y", "is not allowed"),
    ("", "is not allowed"), ("x" * 200, "is not allowed"), ("Support", "is not allowed"), ("1abc", "is not allowed"),
    ("a", "is not allowed"), ("select", "reserved word"), ("ref", "reserved word"), ("source", "reserved word"),
])
def test_bad_names_are_refused_in_one_line(name, message):
    with pytest.raises(MeshError) as caught:
        check_name("domain", name)
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert len(str(caught.value)) < 200  # a 200-character name is shortened in the message


@pytest.mark.parametrize("email, ok", [("team@x.example", True), ("a.b+c@x.co.uk", True), ("team", False),
                                       ("team@x", False), ("t @x.example", False)])
def test_email(email, ok):
    if ok:
        assert check_email(email) == email
    else:
        with pytest.raises(MeshError, match="not a valid address"):
            check_email(email)


@pytest.mark.parametrize("handle, ok", [("@org/team", True), ("@lender/customer-support", True), ("org/team", False),
                                        ("@org", False), ("@org/team/x", False)])
def test_team_handle(handle, ok):
    if ok:
        assert check_team_handle(handle) == handle
    else:
        with pytest.raises(MeshError, match="not like @org/team"):
            check_team_handle(handle)


def test_text_is_trimmed_and_must_say_something():
    assert check_text("description", "  Tickets.  ") == "Tickets."
    with pytest.raises(MeshError, match="description is empty"):
        check_text("description", "   ")


@pytest.mark.parametrize("text", [
    "plain text stays plain",
    "{{ env_var('HOME') }}",
    "{% do run_query('drop table x') %}",
    "{# a comment #} and {% endraw %} inside and {%- endraw -%} too",
    "braces { } and % alone",
])
def test_dbt_literal_renders_back_to_exactly_the_text(text):
    literal = dbt_literal(text)
    assert jinja2.Environment().from_string(literal).render() == text
    if "{" not in text:
        assert literal == text


@pytest.mark.parametrize("text", [
    "plain text stays plain",
    "{{ env_var('HOME') }}",
    "{% raw %}x{% endraw %}",
    "{# a comment #} and {% endraw %} inside and {%- endraw -%} too",
    "{{ unclosed",
])
def test_typed_text_gives_back_what_dbt_literal_wrote(text):
    """What readers of the group files without dbt (declared_domains) see: the text as typed."""
    assert typed_text(dbt_literal(text)) == text


@pytest.mark.parametrize("written", ["{{ var('owner') }}", "{% raw %}x", "{% raw %}{{ x }}{% endraw %} and more"])
def test_typed_text_leaves_what_dbt_literal_did_not_write(written):
    assert typed_text(written) == written


def test_dbt_yaml_escapes_what_dbt_renders_and_nothing_else():
    import yaml

    from mesh_platform.writers.jinja import Jinja
    from mesh_platform.writers.yaml import dump_dbt_yaml

    text = "{{ env_var('HOME') }}"
    data = yaml.safe_load(dump_dbt_yaml({
        "groups": [{"name": "x", "description": text, "owner": {"name": text}, "config": {"meta": {"s": text}}}],
        "sources": [{"name": "x", "schema": Jinja("{{ target.schema }}_raw_x"), "description": text}],
    }))
    group, source = data["groups"][0], data["sources"][0]
    assert group["description"] == text  # dbt keeps a group's description as written
    assert group["owner"]["name"] == group["config"]["meta"]["s"] == source["description"] == dbt_literal(text)
    assert source["schema"] == "{{ target.schema }}_raw_x"  # the platform's own template, on purpose


@pytest.mark.parametrize("text, one_line, message", [
    ("Support\x07", False, "contains the control character U+0007"),
    ("abc\u202edcba", False, "contains the invisible character U+202E"),
    ("first\nsecond", True, "contains a line break; write it on one line"),
    ("first\r\nsecond", True, "contains a line break"),
])
def test_free_text_refuses_hidden_characters(text, one_line, message):
    with pytest.raises(MeshError, match=re.escape(message)) as caught:
        check_text("owner", text, one_line=one_line)
    assert "\n" not in str(caught.value)


def test_free_text_may_have_several_lines_unless_it_is_one_line():
    assert check_text("description", " first\n\tsecond ") == "first\n\tsecond"


@pytest.mark.parametrize("check, value", [(check_email, "a@b.co\n"), (check_team_handle, "@o/t\n"),
                                          (lambda value: check_name("domain", value), "support\n")])
def test_a_trailing_newline_does_not_pass_a_pattern(check, value):
    with pytest.raises(MeshError) as caught:
        check(value)
    assert "\n" not in str(caught.value)
