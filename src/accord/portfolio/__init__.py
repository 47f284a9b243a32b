"""Portfolio planning: many systems across many markets, seen and planned as one.

`accord portfolio` and its sub-commands build on the assessments of every system in the
inventory (`accord.engine.batch.assess_many`), never re-evaluating rules themselves:

- `table`: systems x jurisdictions, with class, duties now and upcoming, gaps and the next date;
- `calendar`: the dated duty starts and control renewals, as iCalendar events;
- `plan`: the cheapest set of controls covering every applicable duty of every system in every
  market (an exact weighted set cover solved with HiGHS), against the naive plan that handles
  each jurisdiction on its own;
- `divergence`: how different the markets' duties are for this portfolio, pair by pair.

Heavy libraries (highspy, icalendar) are imported inside the functions that need them.
"""

from __future__ import annotations

from accord.portfolio.duties import Duty, plan_duties

__all__ = ["Duty", "plan_duties"]
