"""The monthly rules of the model, one process per module.

Each rule is a plain function `rule(model, rng) -> None`: it reads the world and the populations
held by `model` (`sim.model.LabourMarketModel`), changes them through the populations' verbs
(`WorkerPopulation.move`, `employ`, `certify`, `FirmPopulation.hire` ...) and draws every random
number from `rng`, the stream of its phase. `sim.model.PHASES` lists the rules in the order they
run each month. The modules' docstrings say what is modelled and where the rule comes from.
"""
