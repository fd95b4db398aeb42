"""The fact-check checks the rewrite, compares each claim with the Fierce original, and rests on other sources."""

from __future__ import annotations

from telcoai.kernel import claims
from telcoai.kernel.tables import load, schema
from telcoai.kernel.validate import host_of

FIERCE_HOST = "fierce-network.com"


def test_every_claim_has_an_allowed_verdict_a_note_on_the_other_text_and_an_outside_source():
    frame = load("claims")
    allowed = set(next(f for f in schema("claims")["schema"]["fields"] if f["name"] == "verdict")["constraints"]["enum"])
    assert set(frame["verdict"]) <= allowed
    assert frame["other_text_note"].str.len().min() > 10
    # The text checked is the rewrite: no verdict may rest on the rewrite itself, and a claim of the
    # original is not checked against the original.
    assert frame["source_url"].str.startswith("http").all()
    originals = frame[frame["made_by"] == "original"]
    assert not originals["source_url"].map(host_of).eq(FIERCE_HOST).any()
    assert (originals["other_text"] == "absent").all()


def test_the_bt_error_is_the_rewrites():
    row = load("claims").set_index("claim_id").loc["c05-bt-nvidia"]
    assert row["verdict"] == "not_supported" and row["error_in"] == "rewrite" and row["made_by"] == "rewrite"


def test_error_counts_follow_the_table():
    frame = load("claims")
    wrong = frame[frame["verdict"].isin(["not_supported", "partly_supported"])]
    counts = claims.error_counts()
    # Each wrong claim is counted once, under the text that erred: a shared error is not the rewrite's own.
    # Rewrite: c05 (BT), c09, c13, c19; original: c25 (Europe the centre); shared: c04 (Orange).
    assert counts == {"rewrite": 4, "original": 1, "both": 1}
    assert sum(counts.values()) == int(wrong["error_in"].isin(["rewrite", "original", "both"]).sum())


def test_the_appendix_says_what_the_original_says():
    page = claims.appendix_html().data
    assert "The Fierce original" in page and "A point of the Fierce original; the rewrite does not make this point." in page
    assert page.count("<li") == len(load("claims"))
