"""Survey statistics: % satisfied with its 95% confidence interval, and response rates.

% satisfied = satisfied / valid answers x 100, where satisfied counts "very" and "fairly"
satisfied and valid answers exclude "no opinion" and blanks. The 95% interval is
p +/- 1.96 sqrt(p(1-p)/n), shrunk by the finite-population correction sqrt((N-n)/(N-1)) when the
number of tenants surveyed from (N) is known, and clipped to 0-100.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bvdesk.domain.livefigures import fixed

Z_95 = 1.96


@dataclass(frozen=True, slots=True)
class Satisfaction:
    pct: float
    margin: float
    low: float
    high: float
    n: int

    def __str__(self) -> str:
        """``62.3% (95% CI 57.5% to 67.0%, n = 400)``, a half rounded up as the documents
        round it (195 of 240 is 81.25%: 81.3%, not 81.2%)."""
        return (f"{fixed(self.pct, 1)}% (95% CI {fixed(self.low, 1)}% to "
                f"{fixed(self.high, 1)}%, n = {self.n:,})")


def satisfaction(satisfied: int, valid: int, population: int | None = None) -> Satisfaction:
    """% satisfied and its 95% confidence interval.

    Raises:
        ValueError: counts that cannot be (negative, more satisfied than answers, more answers
            than the population).
    """
    if valid <= 0:
        raise ValueError("there are no valid answers to compute satisfaction from")
    if satisfied < 0 or satisfied > valid:
        raise ValueError(f"{satisfied} satisfied out of {valid} answers is not possible")
    if population is not None and population < valid:
        raise ValueError(f"{valid} answers from a population of {population} is not possible")
    p = satisfied / valid
    margin = Z_95 * math.sqrt(p * (1 - p) / valid)
    if population is not None:
        margin *= math.sqrt((population - valid) / (population - 1)) if population > 1 else 0.0
    return Satisfaction(pct=100 * p, margin=100 * margin, low=max(0.0, 100 * (p - margin)),
                        high=min(100.0, 100 * (p + margin)), n=valid)


def response_rate(responses: int, issued: int) -> float:
    """Responses as a % of questionnaires issued."""
    if issued <= 0:
        raise ValueError("no questionnaires were issued")
    if responses < 0 or responses > issued:
        raise ValueError(f"{responses} responses to {issued} questionnaires is not possible")
    return 100 * responses / issued
