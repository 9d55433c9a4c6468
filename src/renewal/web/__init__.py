"""Web pages: the plan, the cockpit and the registry pages (templates, htmx, ECharts)."""
