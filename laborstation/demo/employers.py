"""The employers of every destination and township, and the partner sites (劳务合作基地)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from laborstation.demo import geography
from laborstation.demo.common import Ids, row_times
from laborstation.demo.names import full_name, surname
from laborstation.demo.placements import Employers
from laborstation.demo.population import phone


def make_employers(rng: random.Random, ids: Ids, today: date
               ) -> tuple[list[dict], list[dict], Employers]:
    """Employer rows for every destination and every township, and the partner sites."""
    rows: list[dict] = []
    by_name: dict[str, tuple[int, str, str, str]] = {}
    by_destination: dict[str, list[tuple[int, str, str, str]]] = {}
    by_township: dict[str, list[tuple[int, str, str, str]]] = {}
    times = row_times(today)

    def add(name, industry, occupation, region6, province, city, address, public=False):
        if name not in by_name:
            employer_id = ids.take("employer")
            rows.append({
                "id": employer_id, "name": name,
                "credit_code": geography.credit_code(rng, region6, public_body=public),
                "address": address, "contact": full_name(rng, surname(rng), rng.choice("12"), 1978),
                "phone": phone(rng), "province": province, "city": city, "industry": industry,
                "is_partner_site": False, "notes": "", **times, "deleted_at": None,
            })
            by_name[name] = (employer_id, name, industry, occupation)
        return by_name[name]

    for dest in geography.DESTINATIONS:
        region6 = dest.area_code[:6] if dest.area_code else "410105"
        for name, industry, occupation in dest.employers:
            found = add(name, industry, occupation, region6, dest.province or "41",
                        dest.city if dest.province else "郑州市",
                        dest.text if dest.province else "河南省郑州市金水区", dest.cotton)
            by_destination.setdefault(dest.key, []).append(found)
    for code, township in geography.TOWNSHIPS:
        for template, industry, occupation in geography.LOCAL_EMPLOYERS:
            name = template.format(t=township)
            found = add(name, industry, occupation, geography.COUNTY_CODE, "41", "濮阳市范县",
                        f"{geography.COUNTY_PLACE}{township}")
            by_township.setdefault(geography.COUNTY_CODE + code, []).append(found)
    sites: list[dict] = []
    site_names: dict[str, str] = {}
    founded = date(today.year - 6, 3, 1)
    for name, key in geography.PARTNER_SITES:
        dest = geography.DESTINATION_BY_KEY[key]
        employer_id = by_destination[key][0][0]
        rows[employer_id - rows[0]["id"]]["is_partner_site"] = True
        sites.append({
            "id": ids.take("partner_site"), "name": name, "province": dest.province,
            "city": dest.city, "employer_id": employer_id,
            "established_on": founded + timedelta(days=rng.randint(0, 900)),
            "contact": full_name(rng, surname(rng), "1", 1975), "phone": phone(rng),
            "notes": "", **times, "deleted_at": None,
        })
        site_names[key] = name
    return rows, sites, Employers(by_destination, by_township, site_names)
