"""The model's graph run node by node in dependency order, without dask.

Rasa runs its model graph through dask's synchronous scheduler twice or more
per message (once to parse it, once per predicted action). For our graphs of
a dozen nodes in a line, dask's bookkeeping (ordering the graph, futures,
queues, callbacks for each task) cost a tenth of a message's time under
`make bench`. The plan for a set of targets (the minimal schema's nodes in
dependency order) is worked out once; each run then calls the same
`GraphNode`s with the same inputs dask would give them:

- a node receives `(name, output)` pairs from the nodes it needs, and an
  input placeholder's value as `(placeholder, value)`; a need that nothing
  provides is passed as its bare name, as dask does (GraphNode complains);
- an input named like a node replaces that node, as in dask's graph;
- errors are those of DaskGraphRunner.run (its RuntimeError -> GraphRunError).

tests/test_rasa_speedups.py compares the results with dask's on the real model.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

Plan = List[Tuple[Text, Tuple[Text, ...]]]


def _plan(runner, targets: Tuple[Text, ...]) -> Plan:
    plans: Dict[Tuple[Text, ...], Plan] = runner.__dict__.setdefault("_patient_guide_plans", {})
    plan = plans.get(targets)
    if plan is None:
        schema = runner._graph_schema.minimal_graph_schema(list(targets))
        plan, placed = [], set()

        def place(name: Text) -> None:
            if name in placed or name not in schema.nodes:
                return
            placed.add(name)
            needs = tuple(schema.nodes[name].needs.values())
            for need in needs:
                place(need)
            plan.append((name, needs))

        for target in targets:
            place(target)
        plans[targets] = plan
    return plan


def _in_order(original_run):
    from rasa.engine.exceptions import GraphRunError

    def run(self, inputs: Optional[Dict[Text, Any]] = None, targets: Optional[List[Text]] = None) -> Dict[Text, Any]:
        run_targets = tuple(targets if targets else self._graph_schema.target_names)
        plan = _plan(self, run_targets)
        results: Dict[Text, Any] = {}
        for name, value in (inputs or {}).items():
            if isinstance(value, str) and any(value == node for node, _ in plan):
                raise GraphRunError(
                    f"Input value '{value}' clashes with a node name. Make sure that none of the input "
                    f"names passed to the `run` method are the same as node names in the graph schema.")
            results[name] = (name, value)
        try:
            for name, needs in plan:
                if name not in results:
                    results[name] = self._instantiated_nodes[name](*(results.get(need, need) for need in needs))
        except RuntimeError as e:
            raise GraphRunError("Error running runner.") from e
        return dict(results[target] for target in run_targets)

    run.original = original_run
    return run


def apply() -> None:
    from rasa.engine.runner.dask import DaskGraphRunner

    DaskGraphRunner.run = _in_order(DaskGraphRunner.run)
