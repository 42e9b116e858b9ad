-- A page of a gap list (DrillDown, Metric.gapsInListOrderSql) reads its first rows in the list's order from these
-- indexes instead of sorting every gap of the area: a city has hundreds of thousands.

-- visits: the most overdue first is the earliest due day (the day on or after the last visit); the persons
-- visited after a past report's day are found by their last visit
CREATE INDEX coverage_key_person_due_order_idx ON coverage_key_person (due_on, person_id);
CREATE INDEX coverage_key_person_last_visit_idx ON coverage_key_person (last_visit_on);

-- pharmacy-access and responsible-distance: the longest way first, gaps only (a fraction of the rows; a way
-- not known is a gap too)
CREATE INDEX coverage_key_person_pharmacy_gap_idx ON coverage_key_person (pharmacy_minutes DESC NULLS LAST, person_id)
    WHERE pharmacy_ok IS NOT TRUE;
CREATE INDEX coverage_responsible_gap_idx ON coverage_responsible (metres DESC NULLS LAST, person_id)
    WHERE ok IS NOT TRUE;
