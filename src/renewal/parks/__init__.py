"""Parks (园区, T7/T8): the park registry, its members, smart-park and green-park items and the
enterprises' air-pollution performance ratings; informational figures without targets
(docs/decisions/0019-parks.md)."""
