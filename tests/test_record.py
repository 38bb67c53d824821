"""The November 2026 audit's key facts, each one line the curated store must answer."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import DATA, run_cli

from crossings.core.days import current_status
from crossings.core.traffic import for_traffic, with_access
from db.engine import make_engine
from db.queries import read_all


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> dict:
    url = f"sqlite:///{tmp_path_factory.mktemp('record') / 'store.db'}"
    code, _, err = run_cli(["load", "--data", str(DATA), "--db", url])
    assert code == 0, err
    with make_engine(url).connect() as connection:
        return read_all(connection)


def status(store: dict, crossing: str, day: str, traffic: str | None = None) -> str:
    intervals = for_traffic(with_access(store["status_intervals"]), traffic)
    return current_status(intervals, [crossing], date.fromisoformat(day))["status"].iloc[0]


FACTS = [
    # Ghulam Khan was shut from June 2014 to March 2018, so not open in 2017
    ("ghulam-khan", "2017-06-01", None, "closed"),
    ("ghulam-khan", "2018-06-01", "transit", "closed"),  # trade from 2018, transit only from August 2019
    ("ghulam-khan", "2020-04-15", None, "closed"),  # COVID, 25 March to 22 June 2020
    # Angoor Adda: closed by the Afghan side from May 2016; no report of it operating in 2017-2020
    ("angoor-adda", "2016-06-01", None, "closed"),
    ("angoor-adda", "2018-01-01", None, "unknown"),
    ("angoor-adda", "2020-09-23", "trade", "open"),  # customs trade from 23 September 2020
    ("angoor-adda", "2021-06-01", None, "unknown"),  # not carried forward: a closure of unreported start followed
    ("kharlachi", "2016-10-15", None, "unknown"),  # closed in October 2016 on a day no source gives: an event only
    # the 2017 general reopening was on 21 March, the order on 20 March
    ("torkham", "2017-03-20", None, "closed"),
    ("torkham", "2017-03-22", None, "open"),
    # Chaman closed late on 17 February, a day after Torkham (RFE/RL): by the start-day rule, from 18 February
    ("chaman", "2017-02-16", None, "open"),
    ("chaman", "2017-02-17", None, "open"),
    ("chaman", "2017-02-18", None, "closed"),
    ("kharlachi", "2017-03-08", None, "closed"),  # only Torkham and Chaman opened on 7-8 March
    # COVID 2020: goods moved inside what was first recorded as a closure
    ("torkham", "2020-04-15", None, "restricted"),
    # the cargo that moved was Afghan transit trade; bilateral trade stayed suspended to 22 June 2020 (The Nation)
    ("torkham", "2020-04-15", "trade", "closed"),
    ("torkham", "2020-04-15", "transit", "restricted"),
    ("torkham", "2020-04-15", "travellers", "closed"),
    # Torkham 15 August 2021: a few hours, trucks the same day
    ("torkham", "2021-08-15", None, "restricted"),
    # hidden closures inside long "open" periods
    ("torkham", "2019-09-29", None, "closed"),
    ("torkham", "2023-11-21", "trade", "closed"),
    ("torkham", "2024-01-18", "trade", "closed"),
    # 24 March 2024: pedestrians halted for about four hours, the same day (Geo News via ANI): travellers limited;
    # cargo not reported stopped
    ("torkham", "2024-03-24", None, "restricted"),
    ("torkham", "2024-03-24", "travellers", "restricted"),
    ("chaman", "2022-12-11", None, "closed"),
    ("chaman", "2024-01-10", "trade", "closed"),  # the sit-in stopped cargo for about four months
    ("chaman", "2024-03-01", "trade", "open"),
    ("kharlachi", "2024-01-19", "trade", "closed"),
    # October-December 2025: returnees and some transit through Chaman; aid and returnees at Torkham
    ("chaman", "2025-10-25", None, "restricted"),
    ("chaman", "2025-10-25", "transit", "restricted"),
    ("torkham", "2025-11-15", "returnees", "open"),
    ("torkham", "2025-12-20", "aid", "open"),
    ("torkham", "2025-12-20", "trade", "closed"),
    # 5-6 December 2025: fire exchanged at Chaman, but no stored report says the gate was shut (the audit):
    # aid and returnees carried on, trade still barred
    ("chaman", "2025-12-06", None, "restricted"),
    ("chaman", "2025-12-06", "trade", "closed"),
    # Badini: people on fixed days from January 2023; nothing claimed after
    ("badini", "2023-01-09", "travellers", "restricted"),
    ("badini", "2024-01-01", None, "unknown"),
    ("arandu", "2022-01-01", None, "unknown"),  # announced openings, none reported
]

# Afghanistan's other borders (the sourced brief of November 2026): two or three dated facts each.
OTHER_BORDERS = [
    # Iran. COVID-19: Afghanistan stopped passenger travel on 23 February 2020, reopened on the 25th
    ("islam-qala", "2020-02-24", "travellers", "closed"),
    ("islam-qala", "2020-02-25", "travellers", "open"),
    ("islam-qala", "2022-04-23", None, "closed"),  # clash over road-building at the zero point
    ("islam-qala", "2021-07-20", None, "closed"),  # Eid al-Adha, until 07:00 on 24 July 2021
    ("islam-qala", "2025-06-26", "returnees", "open"),  # 36,000 in a day after the Israel-Iran war
    ("islam-qala", "2025-06-26", "trade", "unknown"),  # not reported either way
    ("zaranj-milak", "2023-05-27", "trade", "closed"),  # one day, after the Sasuli firefight
    ("zaranj-milak", "2022-06-30", "travellers", "closed"),  # closed to people and goods by the Afghan side
    ("zaranj-milak", "2022-06-30", "returnees", "unknown"),  # ...but 4,500 returnees entered (disputed)
    ("abu-nasr-farahi", "2021-07-09", "trade", "closed"),  # the Taliban took the customs post
    ("khaf-herat-railway", "2023-07-11", None, "unknown"),  # milestones only, no status reported
    # Turkmenistan
    ("torghundi", "2020-02-25", None, "closed"),  # Turkmenistan stopped traffic: first COVID-19 case in Herat
    ("aqina", "2018-07-10", None, "closed"),  # protesters blocked the only road, 5-23 July 2018
    ("aqina", "2021-08-20", "trade", "open"),  # 70 railcars and 160 trucks a day (Turkmen MFA)
    ("torghundi", "2023-06-01", None, "unknown"),  # no report after 2021 but the 2024 bridge
    # Uzbekistan: people closed, cargo open from 30 August 2021 to the passenger reopening of 2 December 2025
    ("hairatan", "2023-06-01", "travellers", "closed"),
    ("hairatan", "2023-06-01", "trade", "open"),
    ("hairatan", "2023-02-05", "trade", "restricted"),  # rail freight suspended, road freight moving
    ("hairatan", "2021-08-16", None, "closed"),  # fleeing troops on the bridge, 14-19 August 2021
    ("hairatan", "2026-01-15", "travellers", "open"),
    # Tajikistan
    ("sher-khan-bandar", "2022-05-11", None, "closed"),  # after fire from Takhar landed in Tajikistan
    ("sher-khan-bandar", "2021-07-13", "travellers", "closed"),  # shut to ordinary travel, trucks crossing
    ("sher-khan-bandar", "2021-07-13", "trade", "open"),
    ("shohon", "2019-02-18", "trade", "open"),  # reopened for trucks of food
    ("shohon", "2018-10-01", None, "unknown"),  # closed from about August 2018, day not reported: an event
    ("ishkashim", "2023-09-02", None, "unknown"),  # the market reopened, not a reported crossing status
]


@pytest.mark.parametrize(("crossing", "day", "traffic", "expected"), OTHER_BORDERS,
                         ids=[f"{c}-{d}-{t or 'all'}" for c, d, t, _ in OTHER_BORDERS])
def test_the_store_answers_the_other_borders_facts(store: dict, crossing: str, day: str, traffic: str | None,
                                                   expected: str) -> None:
    assert status(store, crossing, day, traffic) == expected


@pytest.mark.parametrize(("crossing", "day", "traffic", "expected"), FACTS,
                         ids=[f"{c}-{d}-{t or 'all'}" for c, d, t, _ in FACTS])
def test_the_store_answers_the_audits_facts(store: dict, crossing: str, day: str, traffic: str | None,
                                            expected: str) -> None:
    assert status(store, crossing, day, traffic) == expected


def test_agreement_ends_come_from_sources(store: dict) -> None:
    agreements = store["agreements"].set_index("agreement_id")
    # a term agreed at signing (valid_until) apart from an end a source reports (ended_on, end_source_ids):
    # the 48-hour truce ran to 17 October, was extended without a date and superseded by Doha on 19 October
    truce = agreements.loc["truce-48h-2025-10-15"]
    assert (truce["valid_until"], truce["ended_on"]) == (date(2025, 10, 17), date(2025, 10, 19))
    assert truce["end_source_ids"] == ["anadolu-usmuslims-2025-10-19"]
    doha = agreements.loc["doha-ceasefire-2025-10-19"]
    assert doha["effective_from"] == date(2025, 10, 19)
    assert doha["valid_until"] is None  # no term was agreed in Doha
    assert (doha["ended_on"], doha["end_source_ids"]) == (date(2026, 2, 27), ["gamereactor-2026-02-27"])
    assert agreements.loc["jirga-ceasefire-2025-03", "signed_on"] == date(2025, 3, 9)
    assert agreements.loc["joint-jirga-2025-03-17", "valid_until"] == date(2025, 4, 15)
    assert agreements.loc["flag-meeting-ceasefire-2025-03-19", "valid_until"] == date(2025, 4, 15)  # ANI
