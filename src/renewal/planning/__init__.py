"""Planning: the plan file (targets, tasks, units, policy parameters) as data."""
