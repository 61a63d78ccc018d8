"""The county's targets for the current year: a little above what the unit did last year."""

from __future__ import annotations

import random
from datetime import date


def make_targets(year: int, got: dict[str, list[dict]], categories: dict[int, str],
                 persons: dict[int, dict], rng: random.Random) -> dict[str, int]:
    """Targets for ``year`` a little above what the unit did the year before."""
    def last(day: date) -> bool:
        return day.year == year - 1

    placements = got["placement"]
    first_start: dict[int, date] = {}
    for row in placements:
        first_start[row["person_id"]] = min(row["start_on"], first_start.get(row["person_id"],
                                                                          row["start_on"]))
    courses = {c["id"]: c for c in got["course"]}
    counted = [e for e in got["enrolment"] if e["result"] != "3"
               and last(courses[e["course_id"]]["end_on"])]
    done_last = [p for p in placements if last(p["start_on"])]
    postings = [j for j in got["job_posting"] if last(j["posted_on"])]
    poor = {pid for pid, p in persons.items() if categories.get(p["household_id"]) in ("1", "2")}
    figures = {
        "201": len(done_last), "206": sum(p["organised"] for p in done_last),
        "207": sum(p["person_id"] in poor for p in done_last),
        "208": sum(last(day) for day in first_start.values()),
        "301": len(counted),
        "303": sum(courses[e["course_id"]]["course_type"] == "2" for e in counted),
        "307": sum(e["certificate_kind"] is not None for e in counted),
        "401": len(postings), "402": sum(j["positions"] for j in postings),
        "403": sum(last(i["intended_on"]) for i in got["intention"]),
        "502": sum(last(w["start_on"]) for w in got["welfare_post"]),
        "605": sum(v["people_visited"] for v in got["visit"] if last(v["visited_on"])),
    }
    targets = {code: max(1, round(value * rng.uniform(1.0, 1.1))) for code, value in figures.items()}
    # New migrants fall year by year once the register is complete: ~13% of placements.
    targets["208"] = max(1, round(targets["201"] * rng.uniform(0.12, 0.15)))
    return targets
