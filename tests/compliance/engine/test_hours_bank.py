from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.engine.hours_bank import (
    HoursBankRules,
    HoursLot,
    LotKind,
    MonthHours,
    balance,
    hours_bank_ledger,
)

D = Decimal


def months(*delivered: int | str, committed: int = 20) -> list[MonthHours]:
    """Consecutive months from January 2024, each committing ``committed`` hours."""
    return [
        MonthHours(f"2024-{index:02d}", D(committed), D(hours)) for index, hours in enumerate(delivered, 1)
    ]


def summary(rows) -> list[tuple]:
    return [
        (
            row.period,
            row.brought_forward,
            row.made_up,
            row.drawn_from_surplus,
            row.expired_deficit,
            row.expired_surplus,
            row.carried_forward,
        )
        for row in rows
    ]


def test_deficit_made_up_in_the_third_month():
    # 20 h a month; a deficit must be made up within 2 months.
    # Jan: 14 delivered, 6 short → owes 6 (from January).
    # Feb: 20 delivered, exactly the commitment → still owes 6.
    # Mar: 26 delivered, 6 beyond the commitment → January's 6 made up, balance 0.
    rows = hours_bank_ledger(months(14, 20, 26), rules=HoursBankRules(deficit_carry_months=2))
    assert summary(rows) == [
        # period, brought, made up, drawn, expired deficit, expired surplus, carried
        ("2024-01", D(0), D(0), D(0), D(0), D(0), D(-6)),
        ("2024-02", D(-6), D(0), D(0), D(0), D(0), D(-6)),
        ("2024-03", D(-6), D(6), D(0), D(0), D(0), D(0)),
    ]
    assert rows[0].lots == (HoursLot("2024-01", LotKind.DEFICIT, D(6), 2),)
    assert rows[1].lots == (HoursLot("2024-01", LotKind.DEFICIT, D(6), 1),)
    assert rows[2].lots == ()
    assert (rows[2].committed, rows[2].delivered) == (D(20), D(26))


def test_deficit_not_fully_made_up_expires_after_its_last_month():
    # As above but only 3 of the 6 hours are made up in March, the last month January's
    # deficit may be made up in: the other 3 expire there.
    rows = hours_bank_ledger(months(14, 20, 23), rules=HoursBankRules(deficit_carry_months=2))
    assert summary(rows)[2] == ("2024-03", D(-6), D(3), D(0), D(3), D(0), D(0))
    assert rows[2].expired == D(3)


def test_deficit_with_a_one_month_limit_expires_in_the_next_month():
    # January's 6 hours can only be made up in February; February delivers exactly the
    # commitment, so they expire there. March's extra 6 hours are not banked.
    rows = hours_bank_ledger(months(14, 20, 26), rules=HoursBankRules(deficit_carry_months=1))
    assert summary(rows) == [
        ("2024-01", D(0), D(0), D(0), D(0), D(0), D(-6)),
        ("2024-02", D(-6), D(0), D(0), D(6), D(0), D(0)),
        ("2024-03", D(0), D(0), D(0), D(0), D(6), D(0)),
    ]


def test_deficit_with_no_carry_expires_in_its_own_month():
    rows = hours_bank_ledger(months(14), rules=HoursBankRules(deficit_carry_months=0))
    assert summary(rows) == [("2024-01", D(0), D(0), D(0), D(6), D(0), D(0))]


def test_oldest_deficit_is_made_up_first():
    # Jan owes 5, Feb owes 3; March's 4 extra hours go to January, leaving 1 + 3.
    # In April January's last hour expires (3 months allowed: Feb, Mar, Apr).
    rows = hours_bank_ledger(months(15, 17, 24, 20), rules=HoursBankRules(deficit_carry_months=3))
    assert rows[2].made_up == D(4)
    assert rows[2].lots == (
        HoursLot("2024-01", LotKind.DEFICIT, D(1), 1),
        HoursLot("2024-02", LotKind.DEFICIT, D(3), 2),
    )
    assert summary(rows)[3] == ("2024-04", D(-4), D(0), D(0), D(1), D(0), D(-3))


def test_deficit_without_limit_never_expires():
    rows = hours_bank_ledger(months(10, *[20] * 23), rules=HoursBankRules(deficit_carry_months=None))
    assert rows[-1].carried_forward == D(-10)
    assert all(row.expired == 0 for row in rows)


def test_banked_surplus_covers_a_later_shortfall():
    # Surplus kept for 2 months. Jan banks 5; Feb is 3 short and draws them from January;
    # March delivers the commitment and January's remaining 2 expire.
    rows = hours_bank_ledger(
        months(25, 17, 20), rules=HoursBankRules(deficit_carry_months=2, surplus_carry_months=2)
    )
    assert summary(rows) == [
        ("2024-01", D(0), D(0), D(0), D(0), D(0), D(5)),
        ("2024-02", D(5), D(0), D(3), D(0), D(0), D(2)),
        ("2024-03", D(2), D(0), D(0), D(0), D(2), D(0)),
    ]


def test_surplus_first_pays_off_a_deficit_and_the_rest_is_banked():
    # Jan owes 5; Feb delivers 10 extra: 5 make up January, 5 are banked without limit.
    rows = hours_bank_ledger(
        months(15, 30, 20), rules=HoursBankRules(deficit_carry_months=3, surplus_carry_months=None)
    )
    assert summary(rows) == [
        ("2024-01", D(0), D(0), D(0), D(0), D(0), D(-5)),
        ("2024-02", D(-5), D(5), D(0), D(0), D(0), D(5)),
        ("2024-03", D(5), D(0), D(0), D(0), D(0), D(5)),
    ]
    assert rows[2].lots == (HoursLot("2024-02", LotKind.SURPLUS, D(5), None),)


def test_shortfall_beyond_the_banked_surplus_becomes_a_deficit():
    rows = hours_bank_ledger(
        months(24, 10), rules=HoursBankRules(deficit_carry_months=2, surplus_carry_months=2)
    )
    # Feb is 10 short: 4 from January's bank, 6 owed.
    assert summary(rows)[1] == ("2024-02", D(4), D(0), D(4), D(0), D(0), D(-6))


def test_fractional_hours():
    rows = hours_bank_ledger(months("19.75", "20.25"), rules=HoursBankRules(deficit_carry_months=1))
    assert [row.carried_forward for row in rows] == [D("-0.25"), D(0)]


def test_ledger_continues_from_opening_lots():
    rules = HoursBankRules(deficit_carry_months=2)
    whole = hours_bank_ledger(months(14, 20, 26), rules=rules)
    rest = hours_bank_ledger(months(14, 20, 26)[1:], rules=rules, opening=whole[0].lots)
    assert rest == whole[1:]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"committed": D(-1), "delivered": D(0)}, ValueError),
        ({"committed": D(1), "delivered": 1.5}, TypeError),
        ({"committed": D("NaN"), "delivered": D(0)}, ValueError),
    ],
)
def test_month_refuses_bad_hours(kwargs, error):
    with pytest.raises(error):
        MonthHours("2024-01", **kwargs)


def test_rules_refuse_negative_limits():
    with pytest.raises(ValueError):
        HoursBankRules(deficit_carry_months=-1)


def test_opening_lots_must_be_of_one_kind():
    lots = [HoursLot("2024-01", LotKind.DEFICIT, D(1), 1), HoursLot("2024-02", LotKind.SURPLUS, D(1), 1)]
    with pytest.raises(ValueError):
        hours_bank_ledger([], rules=HoursBankRules(deficit_carry_months=1), opening=lots)


# --- properties -----------------------------------------------------------------------------

hours = st.decimals(min_value=0, max_value=60, places=2)
month_lists = st.lists(st.tuples(hours, hours), max_size=18).map(
    lambda pairs: [
        MonthHours(f"m{index}", committed, delivered) for index, (committed, delivered) in enumerate(pairs)
    ]
)
limits = st.one_of(st.none(), st.integers(0, 4))
rule_sets = st.builds(HoursBankRules, limits, limits)


@given(month_list=month_lists, rules=rule_sets)
def test_every_row_balances(month_list, rules):
    rows = hours_bank_ledger(month_list, rules=rules)
    previous = D(0)
    for row in rows:
        assert row.brought_forward == previous
        assert row.carried_forward == (
            row.brought_forward + row.delivered - row.committed + row.expired_deficit - row.expired_surplus
        )
        assert row.carried_forward == balance(row.lots)
        previous = row.carried_forward


@given(month_list=month_lists, rules=rule_sets)
def test_bank_holds_one_kind_of_lot_within_its_limit(month_list, rules):
    for row in hours_bank_ledger(month_list, rules=rules):
        assert len({lot.kind for lot in row.lots}) <= 1
        assert [lot.period for lot in row.lots] == sorted(
            (lot.period for lot in row.lots), key=lambda period: int(period[1:])
        )
        for lot in row.lots:
            limit = rules.limit(lot.kind)
            assert limit != 0
            assert lot.hours > 0
            assert limit is None or 1 <= lot.months_left <= limit
        # Hours made up never exceed what was owed, nor is more drawn than was banked.
        assert row.made_up <= max(-row.brought_forward, D(0))
        assert row.drawn_from_surplus <= max(row.brought_forward, D(0))


@given(month_list=month_lists, rules=rule_sets, split=st.integers(0, 18))
def test_ledger_can_be_resumed_from_any_month(month_list, rules, split):
    whole = hours_bank_ledger(month_list, rules=rules)
    split = min(split, len(month_list))
    opening = whole[split - 1].lots if split else ()
    assert hours_bank_ledger(month_list[split:], rules=rules, opening=opening) == whole[split:]
