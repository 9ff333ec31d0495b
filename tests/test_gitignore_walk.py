"""The walk asks .gitignore about a folder's entries by name, with where the
folder lies from each .gitignore worked out once: it must answer as
`ignored` does for each full path, whatever the patterns and folders."""

from __future__ import annotations

import os

from hypothesis import example, given, settings
from hypothesis import strategies as st
from pathspec import GitIgnoreSpec

from txplan.plan.discover import _any_pattern, _ignored_here, ignored

_PATTERNS = st.lists(
    st.sampled_from(
        [
            "*.plan.yaml",
            "!keep.plan.yaml",
            "old/",
            "/top.plan.yaml",
            "**/drafts",
            "sub/*.plan.yaml",
            "C-1*",
            "!C-12.plan.yaml",
            "deep/inner/",
            "*.note.md",
            "# a comment",
            "",
            "C-1?.plan.yaml",
            "[cd]raft*",
            "\\#hash.plan.yaml",
            "**/inner/**",
            "a[(?P<ps_d>]b.plan.yaml",
        ]
    ),
    min_size=1,
    max_size=4,
)
_NAMES = st.sampled_from(
    [
        "keep.plan.yaml",
        "top.plan.yaml",
        "C-12.plan.yaml",
        "C-2.plan.yaml",
        "old",
        "drafts",
        "x.note.md",
        "aPb.plan.yaml",
    ]
)
_FOLDERS = st.sampled_from(["", "sub", "old", "deep", "deep/inner", "sub/drafts"])


@settings(max_examples=300, deadline=None)
@given(
    outer=_PATTERNS,
    inner=_PATTERNS,
    below=_FOLDERS,
    name=_NAMES,
    folder=st.booleans(),
    mode=st.sampled_from(["relative", "absolute", "mixed"]),
)
@example(["*.plan.yaml"], ["!keep.plan.yaml"], "", "keep.plan.yaml", False, "mixed")
def test_a_folder_s_entries_are_ignored_as_their_full_paths_are(
    outer: list[str],
    inner: list[str],
    below: str,
    name: str,
    folder: bool,
    mode: str,
) -> None:
    # A walk of a folder named relatively, with the repository's rules above
    # it (absolute) and the folder's own (as walked); or all absolute; or the
    # folder's own alone.
    top = os.path.abspath("plans") if mode == "absolute" else "plans"
    rules = [
        (os.path.abspath("."), GitIgnoreSpec.from_lines(outer)),
        (top, GitIgnoreSpec.from_lines(inner)),
    ]
    if mode == "relative":
        rules = rules[1:]
    root = os.path.join(top, below) if below else top
    assert _ignored_here(root, rules)(name, folder) == ignored(
        os.path.join(root, name), rules, folder
    )


_ENTRIES = st.lists(
    st.sampled_from(
        [
            "sub",
            "old",
            "deep",
            "inner",
            "drafts",
            "C-12.plan.yaml",
            "#hash.plan.yaml",
            "aPb.plan.yaml",
        ]
    ),
    min_size=1,
    max_size=4,
).map("/".join)


@settings(max_examples=300, deadline=None)
@given(patterns=_PATTERNS, entry=_ENTRIES, folder=st.booleans())
def test_one_search_matches_where_any_pattern_does(
    patterns: list[str], entry: str, folder: bool
) -> None:
    spec = GitIgnoreSpec.from_lines(patterns)
    joined = _any_pattern(spec)
    if joined is None:  # only a line that spells pathspec's group is asked pattern by pattern
        assert any("(?P" in pattern for pattern in patterns)
        return
    entry += "/" if folder else ""
    expected = any(p.match_file(entry) for p in spec.patterns if p.include is not None)
    assert (joined.search(entry) is not None) == expected


def test_patterns_it_cannot_join_are_asked_one_by_one() -> None:
    class Odd:
        include = True
        regex = None

    class Spec:
        patterns = (Odd(),)

    assert _any_pattern(Spec()) is None


def test_the_fast_path_is_taken_for_ordinary_patterns() -> None:
    joined = _any_pattern(GitIgnoreSpec.from_lines(["*.bak", "!keep.bak", "out/", "# note", ""]))
    assert joined is not None
    assert joined.search("x.bak") and joined.search("sub/out/")
    assert not joined.search("C-1042.plan.yaml")


def test_a_line_that_spells_pathspec_s_group_name_is_asked_as_written() -> None:
    # In a bracket the name is text: renamed, `[(?P<ps_d>]` would match other letters.
    spec = GitIgnoreSpec.from_lines(["a[(?P<ps_d>]b.plan.yaml"])
    assert _any_pattern(spec) is None
    assert _ignored_here("plans", [("plans", spec)])("aPb.plan.yaml", False)
    assert not _ignored_here("plans", [("plans", spec)])("a:b.plan.yaml", False)
