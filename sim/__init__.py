"""Agent-based simulator of the Shanwei (汕尾) labour market.

The model is a plain callable: `sim.run(scenario, seed) -> Tables` (see `sim.runner`). Scenarios are
TOML files (`sim.scenario`), city data with provenance lives in `sim/data/` (`sim.params`), agents in
`sim/agents/`, the plans' measures in `sim/policies/`, official indicators in `sim.indicators`.
"""

__version__ = "0.7.0"
