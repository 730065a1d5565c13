"""How long one appraisal takes, as the Compete stage recalculates it on every edit.

Prints the time for a demo-sized appraisal (5 options, 10 years) and a large one (12 options,
every cost category, 60 years), each as a ratio to a baseline measured in the same run: one
plain Python pass multiplying every amount by its discount factor (the least any NPC costs).
Run: python benchmarks/bench_appraisal.py
"""

from __future__ import annotations

import datetime as dt
import random
import timeit

from bvdesk.domain.appraisal import (
    AppraisalInputs,
    AppraisalParameters,
    CostLineInput,
    Criterion,
    OptionInput,
    RiskInput,
    appraise,
)
from bvdesk.domain.vocabulary import CostCategory, OptionKind, VatTreatment


def make_inputs(options: int, years: int, seed: int = 1) -> AppraisalInputs:
    rng = random.Random(seed)
    kinds = list(OptionKind)
    criteria = tuple(Criterion(f"Criterion {j}", rng.uniform(5, 30)) for j in range(6))
    built = []
    for i in range(options):
        lines = tuple(CostLineInput(category,
                                    tuple(rng.uniform(1e4, 1e6) for _ in range(years + 1)),
                                    rng.choice(list(VatTreatment)))
                      for category in CostCategory)
        risks = tuple(RiskInput(f"Risk {k}", rng.random(), rng.uniform(1e4, 1e6),
                                rng.randrange(years + 1)) for k in range(5))
        built.append(OptionInput(f"Option {i}", kinds[i % len(kinds)], lines, risks,
                                 {c.name: rng.uniform(3, 10) for c in criteria},
                                 optimism_bias_pct=rng.uniform(0, 40)))
    return AppraisalInputs(AppraisalParameters(dt.date(2010, 4, 1), period_years=years,
                                               homes_served=5000), tuple(built), criteria)


def baseline(inputs: AppraisalInputs) -> float:
    factors = [1.035 ** -t for t in range(inputs.parameters.period_years + 1)]
    total = 0.0
    for option in inputs.options:
        for line in option.cost_lines:
            for amount, factor in zip(line.amounts, factors, strict=False):
                total += amount * factor
    return total


def best_of(func, repeat: int = 5, number: int = 20) -> float:
    return min(timeit.repeat(func, repeat=repeat, number=number)) / number


def main() -> None:
    for label, options, years in (("demo-sized", 5, 10), ("large", 12, 60)):
        inputs = make_inputs(options, years)
        base = best_of(lambda inputs=inputs: baseline(inputs))
        full = best_of(lambda inputs=inputs: appraise(inputs))
        print(f"{label:>10}: appraise {full * 1000:7.2f} ms; baseline {base * 1000:6.3f} ms; "
              f"ratio {full / base:6.1f}x")


if __name__ == "__main__":
    main()
