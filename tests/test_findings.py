"""Each chapter's figures come from one function; the overview restates them; corrected figures hand-checked."""

from __future__ import annotations

import pytest

from telcoai.kernel import findings


def test_the_overview_restates_the_chapters_figures():
    overview, opp, road = findings.overview().values, findings.opportunities().values, findings.road_ahead().values
    assert overview["ov_median_intensity"] == opp["opp_median_intensity"]
    assert overview["ov_intensity_count"] == opp["opp_intensity_count"]
    assert overview["ov_europe_live"] == road["road_europe_live"]
    assert overview["ov_projects"] == findings.european_surge().values["surge_total"]


def test_the_median_counts_only_the_groups_with_data():
    # Fiscal 2024, hand-checked: nine groups report both capex and revenue; sorted capex/revenue
    # ratios put Orange in the middle: 6,259 / 40,260 = 15.5 %.
    values = findings.opportunities().values
    assert values["opp_latest_year"] == "2024"
    assert values["opp_intensity_count"] == "9"
    assert values["opp_median_intensity"] == "16%"


def test_the_gpu_cadence_counts_new_architectures_by_year_of_first_announcement():
    # Volta 2017, Ampere 2020, Hopper 2022, Blackwell 2024, Rubin 2025 (roadmap); Blackwell Ultra is a refresh.
    values = findings.risks_chapter().values
    assert values["risk_arch_count"] == "5"
    assert values["risk_gap_early"] == "2.5" and values["risk_gap_recent"] == "1.5"


def test_a_consortium_bid_is_compared_on_the_operators_own_commitment():
    bets = findings.opportunities().bets.set_index("project_id")
    aion = bets.loc["iliad-aion-ai-gigafactory-bid"]
    # iliad: up to EUR 4 billion against 2024 group capex of EUR 2.022 billion.
    assert aion["basis"] == "operator's commitment" and bool(aion["bid"])
    assert aion["share_of_capex"] == pytest.approx(4 / 2.022, rel=1e-3)
    munich = bets.loc["dt-industrial-ai-cloud-munich"]
    assert not munich["bid"] and munich["share_of_capex"] < 0.25


def test_every_chapter_value_is_text():
    for chapter in (findings.opportunities, findings.european_surge, findings.road_ahead, findings.risks_chapter,
                    findings.fact_check, findings.data_and_methods, findings.overview):
        values = chapter().values
        assert values and all(isinstance(v, str) for v in values.values()), chapter.__name__


def test_a_negative_amount_in_prose_never_breaks_across_lines():
    from telcoai.kernel import fmt

    text = fmt.eur_m(-736e6)
    assert text == "−\u2060€736\u00a0million"        # word joiner after the minus, no-break space before the unit
    assert " " not in text and fmt.eur_m(12.5e6, 1) == "€12.5\u00a0million"
