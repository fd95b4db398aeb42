"""What each chapter says: the values its prose glues, and the tables its charts draw.

One function per chapter. Each returns :class:`Findings`: ``values`` maps a
glue key to the text the prose shows, and the tables the chapter's charts and
tables need are attributes. The overview reuses the chapters' findings, so a
figure is computed in one place and stated the same way everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from telcoai.kernel import capex, claims, context, fmt, registry, risks
from telcoai.kernel.tables import cutoff_date, data_version, load


@dataclass
class Findings:
    values: dict[str, str]
    frames: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.frames[name]
        except KeyError:
            raise AttributeError(name) from None

    def glue(self) -> None:
        """Make every value available to the chapter's prose."""
        for key, text in self.values.items():
            fmt.glue_text(key, text)


QUALIFIERS = {"exact": "", "around": "around ", "up_to": "up to ", "at_least": "at least "}


@lru_cache(maxsize=1)
def opportunities() -> Findings:
    v: dict[str, str] = {}
    panel = capex.capex_panel()
    latest_year = capex.latest_year()
    latest = panel[panel["fiscal_year"] == latest_year].dropna(subset=["capex_eur_bn"])
    v["opp_operator_count"] = fmt.count(panel["entity_id"].nunique())
    v["opp_reported_cells"] = fmt.count(len(panel.dropna(subset=["capex_eur_bn"])))
    v["opp_total_cells"] = fmt.count(len(panel))
    v["opp_first_year"] = str(capex.years()[0])
    v["opp_latest_year"] = str(latest_year)
    biggest = latest.sort_values("capex_eur_bn", ascending=False).iloc[0]
    v["opp_biggest_name"] = biggest["name"]
    v["opp_biggest_capex"] = fmt.eur_bn(biggest["capex_eur_bn"])
    compared = capex.compared_financials()
    capex_rows = compared[(compared["measure"] == "capex") & (compared["entity_type"] == "telco")]
    v["opp_biggest_scope"] = capex_rows[(capex_rows["entity_id"] == biggest["entity_id"])
                                        & (capex_rows["fiscal_year"] == latest_year)]["scope"].iloc[0]
    unstated = capex_rows[(capex_rows["entity_id"] == "vodafone") & (capex_rows["basis"] == "not_stated")]
    years = fmt.words([str(y) for y in sorted(unstated["fiscal_year"])])
    v["opp_vodafone_basis"] = (f"though Vodafone's for fiscal {years} come from press reports that do not state the basis"
                               if len(unstated) else "and every Vodafone figure compared states its basis")

    intensity = panel.dropna(subset=["capex_intensity"])
    intensity = intensity[intensity["fiscal_year"] == latest_year].sort_values("capex_intensity")
    v["opp_median_intensity"] = fmt.pct(intensity["capex_intensity"].median())
    v["opp_intensity_count"] = fmt.count(len(intensity))
    v["opp_low_name"], v["opp_low_intensity"] = intensity.iloc[0]["name"], fmt.pct(intensity.iloc[0]["capex_intensity"])
    v["opp_high_name"], v["opp_high_intensity"] = intensity.iloc[-1]["name"], fmt.pct(intensity.iloc[-1]["capex_intensity"])

    first, last = capex.balanced_span()
    totals, members = capex.balanced_totals(first, last)
    by_group = totals.pivot(index="fiscal_year", columns="group", values="capex_eur_bn")
    v["opp_span"], v["opp_first"], v["opp_last"] = f"{first}–{last}", str(first), str(last)
    v["opp_balanced_telcos"] = fmt.words(members["telco"])
    v["opp_balanced_telco_count"] = fmt.count(len(members["telco"]))
    v["opp_balanced_hyper_count"] = fmt.count(len(members["hyperscaler"]))
    v["opp_balanced_hypers"] = fmt.words(members["hyperscaler"])
    v["opp_balanced_breaks"] = _breaks_sentence(members["telco"], first, last)
    v["opp_telco_total_last"] = fmt.eur_bn(by_group.loc[last, "telco"])
    v["opp_hyper_total_last"] = fmt.eur_bn(by_group.loc[last, "hyperscaler"])
    v["opp_hyper_multiple_last"] = fmt.times(by_group.loc[last, "hyperscaler"] / by_group.loc[last, "telco"])
    v["opp_hyper_multiple_first"] = fmt.times(by_group.loc[first, "hyperscaler"] / by_group.loc[first, "telco"])

    bets = capex.investments_vs_capex()
    built, bids = bets[~bets["bid"]], bets[bets["bid"]]
    v["opp_bets_count"], v["opp_bids_count"] = fmt.count(len(bets)), fmt.count(len(bids))
    largest = built.sort_values("share_of_capex").iloc[-1]
    v["opp_bet_name"] = f"{largest['name']} ({largest['operator']})"
    v["opp_bet_amount"] = fmt.eur_bn(largest["investment_eur_bn"])
    v["opp_bet_share"] = fmt.pct(largest["share_of_capex"])
    v["opp_bet_year"] = str(largest["capex_year"])
    v["opp_small_share"] = fmt.pct(capex.SMALL_SHARE)
    # The judgement follows the data by the rule stated in the text.
    v["opp_bets_scale"] = "small beside" if built["share_of_capex"].max() < capex.SMALL_SHARE else "large relative to"
    if len(bids):
        bid = bids.sort_values("share_of_capex").iloc[-1]
        v["opp_bid_name"] = f"{bid['name']} ({bid['operator']})"
        v["opp_bid_amount"], v["opp_bid_basis"] = fmt.eur_bn(bid["investment_eur_bn"]), bid["basis"]
        v["opp_bid_multiple"], v["opp_bid_year"] = fmt.times(bid["share_of_capex"]), str(bid["capex_year"])

    aggregate = capex.compared_financials().query("entity_type == 'aggregate' and measure == 'capex'")
    latest_aggregate = aggregate.sort_values("fiscal_year").iloc[-1]
    v["opp_etno_value"] = fmt.eur_bn(latest_aggregate["value_eur_bn"])
    v["opp_etno_year"] = str(latest_aggregate["fiscal_year"])
    table = capex.compared_financials().query("entity_type == 'telco'")
    return Findings(v, {"panel": panel, "totals": totals, "bets": bets, "table": table})


@lru_cache(maxsize=1)
def european_surge() -> Findings:
    v: dict[str, str] = {}
    projects = registry.projects()
    europe = projects[projects["region"] == "Europe"]
    v["surge_total"], v["surge_europe"] = fmt.count(len(projects)), fmt.count(len(europe))
    v["surge_first"] = fmt.date(projects["announced"].iloc[0])
    v["surge_last"] = fmt.date(projects["announced"].iloc[-1])
    v["surge_europe_operators"] = fmt.count(europe["operator_group"].nunique())
    v["surge_europe_countries"] = fmt.count(europe["country"].nunique())
    v["surge_announcements"] = fmt.count(int(registry.events()["event"].isin(registry.ANNOUNCEMENTS).sum()))

    paris_day, paris = registry.busiest_announcement_day()
    v["surge_paris_date"] = fmt.date(paris_day.isoformat())
    v["surge_paris_count"] = fmt.count(paris["project_id"].nunique())
    v["surge_paris_operators"] = fmt.words(sorted(set(paris["operator_group"])))

    with_gpus = europe.dropna(subset=["gpu_count"])
    largest = with_gpus.sort_values("gpu_count").iloc[-1]
    v["surge_gpu_projects"] = fmt.count(len(with_gpus))
    v["surge_largest_operator"] = largest["operator"]
    v["surge_largest_gpus"] = fmt.count(largest["gpu_count"])
    v["surge_largest_qualifier"] = QUALIFIERS[largest["gpu_count_qualifier"]]
    v["surge_money_projects"] = fmt.count(len(europe.dropna(subset=["investment_value"])))
    v["surge_neither_projects"] = fmt.count(int((europe["gpu_count"].isna() & europe["investment_value"].isna()).sum()))

    us_share, eu_share, eu_share_2017 = (context.fact(i) for i in ("ctx-CLD-01", "ctx-CLD-04", "ctx-CLD-02"))
    v["surge_us_share"], v["surge_us_year"] = f"{us_share['value']:.0f}%", us_share["date"][:4]
    v["surge_eu_share"], v["surge_eu_share_2017"] = f"{eu_share['value']:.0f}%", f"{eu_share_2017['value']:.0f}%"
    v["surge_eu_year"], v["surge_eu_year_2017"] = eu_share["date"][:4], eu_share_2017["date"][:4]
    v["surge_cloud_source"] = us_share["source_publisher"]
    factories = context.fact("ctx-AIF-09")
    v["surge_aif_count"], v["surge_aif_date"] = fmt.count(factories["value"]), fmt.date(factories["date"])
    v["surge_aif_states"] = fmt.count(context.fact("ctx-AIF-10")["value"])
    v["surge_investai"] = fmt.eur_bn(context.fact("ctx-AIGF-01")["value"], 0)
    v["surge_gigafund"] = fmt.eur_bn(context.fact("ctx-AIGF-02")["value"], 0)
    v["surge_eoi"] = fmt.count(context.fact("ctx-AIGF-12")["value"])
    v["surge_eoi_gpus"] = f"{context.fact('ctx-AIGF-15')['value']:.0f} million"
    v["surge_giga_chips"] = fmt.count(context.fact("ctx-AIGF-06")["value"])
    colossus = context.fact("ctx-GPU-02")
    v["surge_colossus"], v["surge_colossus_date"] = fmt.count(colossus["value"]), fmt.date(colossus["date"][:7])
    v["surge_colossus_multiple"] = f"{colossus['value'] / largest['gpu_count']:.0f}"
    return Findings(v, {"projects": projects, "europe": europe})


@lru_cache(maxsize=1)
def road_ahead() -> Findings:
    v: dict[str, str] = {}
    status = registry.status()
    europe = status[status["region"] == "Europe"]
    v["road_cutoff"] = fmt.date(cutoff_date())
    v["road_latest_event"] = fmt.date(registry.latest_event_date())
    v["road_europe_total"] = fmt.count(len(europe))
    v["road_stages"] = fmt.stage_counts(europe["status"].value_counts())
    v["road_europe_live"] = fmt.count(int((europe["status"] == "live").sum()))
    v["road_europe_announced"] = fmt.count(int((europe["status"] == "announced").sum()))
    # The overview's headline follows the data: which is the larger group of European projects.
    v["road_headline"] = ("most projects are still at the announcement stage"
                          if (europe["status"] == "announced").mean() > 0.5
                          else "most projects have gone past the announcement stage")
    # Events the status rule does not count (one report of a deployment, an expansion, a bid) can follow an
    # announcement: the prose says for how many projects still at that stage.
    events = registry.events()
    later = events[~events["event"].isin({"announced", "restated"})]
    waiting = europe[europe["status"] == "announced"]
    v["road_announced_with_later"] = fmt.count(int(waiting["project_id"].isin(later["project_id"]).sum()))
    bids = europe[europe["project_id"].isin(registry.bid_projects())]
    built = int(bids["status"].isin(["building", "live"]).sum())
    v["road_bids"] = (f"none of the {fmt.count(len(bids))} has been built" if built == 0
                      else f"{fmt.count(built)} of the {fmt.count(len(bids))} {'has' if built == 1 else 'have'} been built")
    running = europe[europe["status"] == "live"].merge(registry.projects()[["project_id", "gpu_count"]], on="project_id")
    counted = running.dropna(subset=["gpu_count"]).sort_values("gpu_count")
    v["road_live_range"] = (
        f"The European systems in operation with a stated GPU count run from {fmt.count(counted['gpu_count'].iloc[0])} "
        f"to {fmt.count(counted['gpu_count'].iloc[-1])} GPUs, the largest being {counted['name'].iloc[-1]}."
        if len(counted) else "No European system in operation states a GPU count.")

    start, _ = registry.busiest_announcement_day()
    window = registry.window_events(start, 9)
    live = window[window["event"] == "live"]
    v["road_window_start"] = fmt.date(start.isoformat())
    v["road_window_end"] = fmt.date(registry.add_months(start, 9).isoformat())
    v["road_window_events"] = fmt.count(len(window))
    v["road_window_live"] = fmt.count(live["project_id"].nunique())
    v["road_window_live_projects"] = fmt.words(sorted(set(live["name"]))) if len(live) else "none"

    bt = registry.projects().query("operator_group == 'BT Group'").sort_values("announced_date")
    v["road_bt_count"] = fmt.count(len(bt))
    v["road_bt_first"] = fmt.date(bt["announced"].iloc[0])
    v["road_bt_first_name"] = bt["name"].iloc[0]
    return Findings(v, {"status": status, "europe": europe, "window": window,
                        "europe_events": events[events["region"] == "Europe"]})


@lru_cache(maxsize=1)
def risks_chapter() -> Findings:
    from telcoai.kernel import economics, scenarios

    v: dict[str, str] = {}
    history = risks.cloud_history()
    v["risk_events"] = fmt.count(len(history))
    v["risk_first_year"], v["risk_last_year"] = str(history["date_date"].min().year), str(history["date_date"].max().year)
    verizon = history[history["company"] == "Verizon"]
    terremark = verizon[verizon["event"] == "acquisition"].iloc[0]
    equinix = verizon[(verizon["event"] == "sale") & verizon["counterparty"].str.contains("Equinix")].iloc[0]
    shutdown = verizon[verizon["event"] == "shutdown"].iloc[0]
    v["risk_vz_buy_date"], v["risk_vz_buy_amount"] = fmt.date(terremark["date"]), terremark["amount"]
    v["risk_vz_sale_date"], v["risk_vz_sale_amount"] = fmt.date(equinix["date"]), equinix["amount"]
    v["risk_vz_shutdown"] = fmt.date(shutdown["date"])
    v["risk_vz_years"] = f"{risks.years_between('Verizon', 'acquisition', 'shutdown'):.0f}"
    v.update({f"risk_v_{key}": fmt.count(value) for key, value in risks.venture_summary().items()})
    ipo = history[history["event_id"] == "cbb-cyrusone-ipo-2013-01"].iloc[0]
    v["risk_cyrusone_ipo"] = fmt.date(ipo["date"])

    cadence = risks.architecture_announcements()
    gaps = cadence["years_since_previous"].dropna()
    v["risk_arch_count"] = fmt.count(len(cadence))
    v["risk_arch_first"], v["risk_arch_last"] = cadence["architecture"].iloc[0], cadence["architecture"].iloc[-1]
    v["risk_gap_early"], v["risk_gap_recent"] = f"{gaps.iloc[:2].mean():.1f}", f"{gaps.iloc[-2:].mean():.1f}"
    v["risk_gap_last"] = fmt.count(int(gaps.iloc[-1]))
    specs = risks.specs_by_architecture()
    memory = specs.set_index("architecture")["memory_gb"]
    v["risk_mem_first"], v["risk_mem_last"] = f"{memory.iloc[0]:.0f}", f"{memory.dropna().iloc[-1]:.0f}"

    prices = risks.rental_prices()
    h100 = prices[prices["family"] == "H100"]["price_usd_per_gpu_hour"]
    v["risk_h100_max"], v["risk_h100_min"] = f"${h100.max():.2f}", f"${h100.min():.2f}"
    v["risk_h100_spread"] = f"{risks.price_spread('H100'):.1f}"

    lives = risks.depreciation_changes()
    cut = lives[(lives["company"] == "Amazon") & (lives["useful_life_years_to"] < lives["useful_life_years_from"])].iloc[0]
    v["risk_amazon_cut_date"] = fmt.date(cut["effective"])
    v["risk_amazon_cut_from"], v["risk_amazon_cut_to"] = f"{cut['useful_life_years_from']:.0f}", f"{cut['useful_life_years_to']:.0f}"

    inputs, assumptions = scenarios.scenario_inputs()
    results = {name: economics.evaluate(value) for name, value in inputs.items()}
    base = inputs["base"]
    v["risk_gpus"], v["risk_capex_per_gpu"] = fmt.count(base.gpu_count), f"€{base.capex_per_gpu_eur:,.0f}"
    for name, result in results.items():
        v[f"risk_npv_{name}"] = fmt.eur_m(result.npv_eur)
        v[f"risk_payback_{name}"] = "not within the useful life" if result.payback_year is None else f"year {result.payback_year}"
        v[f"risk_irr_{name}"] = "none" if result.irr is None else fmt.pct(result.irr, 1)
    positive = sum(r.npv_eur > 0 for r in results.values())
    phrase = ["None of the three scenarios creates", "One of the three scenarios creates",
              "Two of the three scenarios create", "All three scenarios create"][positive]
    v["risk_positive_phrase"], v["risk_positive_phrase_lower"] = phrase, fmt.sentence_case(phrase)
    be_util = economics.break_even(base, "utilisation", 0.0, 1.0)
    be_price = economics.break_even(base, "price_eur_per_gpu_hour", 0.0, 20.0)
    v["risk_be_util"] = "above 100%, so never" if be_util is None else fmt.pct(be_util)
    v["risk_be_price"] = "none in range" if be_price is None else f"€{be_price:.2f}"
    v["risk_base_price"] = f"€{base.price_eur_per_gpu_hour:.2f}"
    v["risk_npv_sign"] = "negative" if results["base"].npv_eur < 0 else "positive"
    v["risk_payback_phrase"] = ("does not pay back within the useful life of its GPUs" if results["base"].payback_year is None
                                else f"pays back in year {results['base'].payback_year}")
    util = scenarios.proxy_range(inputs, "utilisation")
    v["risk_util_low"], v["risk_util_high"] = fmt.pct(util["low"]), fmt.pct(util["high"])
    v["risk_util_npv_low"] = fmt.eur_m(min(util["npv_low"], util["npv_high"]))
    v["risk_util_npv_high"] = fmt.eur_m(max(util["npv_low"], util["npv_high"]))
    sens = economics.sensitivity(base, 0.2)
    v["risk_top_input"] = fmt.sentence_case(economics.INPUT_LABELS[sens[0]["input"]])
    v["risk_second_input"] = fmt.sentence_case(economics.INPUT_LABELS[sens[1]["input"]])
    summary = scenarios.summary(inputs, results)
    return Findings(v, {"history": history, "cadence": cadence, "specs": specs, "prices": prices, "lives": lives,
                        "inputs": inputs, "base": base, "assumptions": assumptions, "sensitivity": sens,
                        "summary": summary})


@lru_cache(maxsize=1)
def fact_check() -> Findings:
    counts = claims.verdict_counts()
    frame = load("claims")
    errors = claims.error_counts()
    v = {"fc_total": fmt.count(counts.sum()), **{f"fc_{verdict}": fmt.count(n) for verdict, n in counts.items()},
         "fc_rewrite_claims": fmt.count(int((frame["made_by"] == "rewrite").sum())),
         "fc_original_claims": fmt.count(int((frame["made_by"] == "original").sum())),
         "fc_not_retrieved": fmt.count(int((frame["other_text"] == "not_retrieved").sum())),
         "fc_rewrite_errors": fmt.count(errors["rewrite"]),
         "fc_shared_errors": fmt.plural(errors["both"], "more repeats an error of the original",
                                        "more repeat errors of the original", "none repeats an error of the original"),
         "fc_original_errors": fmt.plural(errors["original"], "error", "errors", "none"),
         "fc_paris_day": european_surge().values["surge_paris_date"]}
    return Findings(v)


def data_and_methods() -> Findings:
    from telcoai.kernel import datadoc

    shares = datadoc.source_shares()
    projects = registry.projects()
    v = {"dm_searched": fmt.date(cutoff_date()), "dm_cutoff": cutoff_date(), "dm_version": data_version(),
         "dm_latest_event": fmt.date(registry.latest_event_date()),
         "dm_projects": fmt.count(len(projects)), "dm_europe": fmt.count(int((projects["region"] == "Europe").sum())),
         "dm_latest_quorum": fmt.share(capex.LATEST_YEAR_QUORUM), "dm_balanced_quorum": fmt.pct(capex.BALANCED_QUORUM),
         "dm_latest_year": str(capex.latest_year()), "dm_span": "–".join(map(str, capex.balanced_span())),
         "dm_tables": fmt.count(len(datadoc.resources()))}
    return Findings(v, {"source_shares": shares})


def overview() -> Findings:
    """The front page: the chapters' own findings, restated under the overview's keys, and the byline."""
    from telcoai.kernel import citation

    meta = citation.report_metadata()
    opp_found = opportunities()
    opp, road, risk = opportunities().values, road_ahead().values, risks_chapter().values
    v = {"ov_cutoff": road["road_cutoff"], "ov_data_version": data_version(),
         "ov_projects": european_surge().values["surge_total"], "ov_europe": road["road_europe_total"],
         "ov_europe_live": road["road_europe_live"], "ov_europe_announced": road["road_europe_announced"],
         "ov_latest_event": road["road_latest_event"], "ov_headline": road["road_headline"],
         "ov_last": opp["opp_last"], "ov_hyper_multiple": opp["opp_hyper_multiple_last"],
         "ov_telco_count": opp["opp_balanced_telco_count"], "ov_median_intensity": opp["opp_median_intensity"],
         "ov_latest_year": opp["opp_latest_year"], "ov_operator_count": opp["opp_operator_count"],
         "ov_intensity_count": opp["opp_intensity_count"], "ov_hyper_count": opp["opp_balanced_hyper_count"],
         "ov_vz_years": risk["risk_vz_years"], "ov_npv_base": risk["risk_npv_base"],
         "ov_first_year": str(registry.projects().query("region == 'Europe'")["announced_year"].min()),
         "ov_authors": fmt.words(a.get("name") or f"{a['given-names']} {a['family-names']}" for a in meta["authors"]),
         "ov_version": str(meta["version"]), "ov_released": fmt.date(str(meta["date-released"])),
         "ov_bet_share": opp["opp_bet_share"], "ov_bets_scale": opp["opp_bets_scale"],
         "ov_npv_sign": risk["risk_npv_sign"], "ov_payback": risk["risk_payback_phrase"]}
    return Findings(v, {"bets": opp_found.bets})


def _breaks_sentence(names: list[str], first: int, last: int) -> str:
    """Which of the summed groups change perimeter inside the span (a break after its first year), in one sentence."""
    found = capex.breaks()
    found = found[found["name"].isin(names) & found["first_fiscal_year"].between(first + 1, last)]
    found = found.sort_values(["first_fiscal_year", "name"])
    if found.empty:
        return "None of these groups changed perimeter within the span."
    where = fmt.words(f"{row.name} from {row.first_fiscal_year}" for row in found.itertuples())
    change = "a change" if len(found) == 1 else "changes"
    return (f"The totals cross {change} of perimeter, marked on the chart of capex by operator: {where}; "
            "the totals of those years are not like for like.")
