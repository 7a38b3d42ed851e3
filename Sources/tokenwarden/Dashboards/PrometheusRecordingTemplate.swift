// The source of `Dashboards/prometheus/tokenwarden-recording.yml`: `tokenwarden dashboards render` writes that file from it
// (`make dashboards` for the shipped defaults). Edit here, then render; a test keeps the two equal.
// Markers: @@CURRENCY@@, @@CURRENCY_UNIT@@ (Grafana's unit for it), @@RUNBOOK_BASE@@.

extension DashboardTemplate {
    /// The Prometheus recording rules the panels and alerts read.
    static let prometheusRecording = DashboardTemplate(path: "prometheus/tokenwarden-recording.yml", text: ##"""
# TokenWarden recording rules: the expensive queries behind the Grafana dashboards and the alerts
# in tokenwarden-alerts.yml (which need these rules loaded too).
#
#   rule_files: [tokenwarden-recording.yml, tokenwarden-alerts.yml]
#
# Names follow Prometheus' level:metric:operations convention; the level lists the labels kept
# besides `currency` (and the target's `job` and `instance`, which every rule keeps).
#
# Retention: the 30-day rate averages the recorded hourly rate over 30 days, so Prometheus must
# keep at least 30 days (its default --storage.tsdb.retention.time is 15d); the anomaly baseline
# needs 8 days.
groups:
  - name: tokenwarden-spend
    rules:
      # Spend per second (currency units/s; × 3600 for per hour) per team, over the last hour
      # and day: the counters now minus the counters an hour (a day) ago, divided by its seconds.
      # Not rate(): rate() and increase() start a label set at its first scrape, so a team's first
      # event (or a new model's, project's, agent's) was missing from them. A label set that did
      # not exist at the start counts from zero (`or ... * 0`). Exact to the last scrape; no
      # extrapolation. The spend of the current day, week and month is tokenwarden_period_cost.
      - record: org_team:tokenwarden_cost:rate1h
        expr: |
          (
              sum without (provider, model, project, agent) (tokenwarden_cost_total)
            - (sum without (provider, model, project, agent) (tokenwarden_cost_total offset 1h) or sum without (provider, model, project, agent) (tokenwarden_cost_total) * 0)
          ) / 3600
      - record: org_team:tokenwarden_cost:rate1d
        expr: |
          (
              sum without (provider, model, project, agent) (tokenwarden_cost_total)
            - (sum without (provider, model, project, agent) (tokenwarden_cost_total offset 1d) or sum without (provider, model, project, agent) (tokenwarden_cost_total) * 0)
          ) / 86400
      # 30 days of raw samples per series is too much to read every evaluation: average the
      # recorded hourly rate instead (one series per team; equal to the 30-day rate up to the
      # first and last hour of the window).
      - record: org_team:tokenwarden_cost:rate30d
        expr: avg_over_time(org_team:tokenwarden_cost:rate1h[30d])

      - record: org_team_project:tokenwarden_cost:rate1h
        expr: |
          (
              sum without (provider, model, agent) (tokenwarden_cost_total)
            - (sum without (provider, model, agent) (tokenwarden_cost_total offset 1h) or sum without (provider, model, agent) (tokenwarden_cost_total) * 0)
          ) / 3600
      - record: org_team_agent:tokenwarden_cost:rate1h
        expr: |
          (
              sum without (provider, model, project) (tokenwarden_cost_total)
            - (sum without (provider, model, project) (tokenwarden_cost_total offset 1h) or sum without (provider, model, project) (tokenwarden_cost_total) * 0)
          ) / 3600
      - record: provider_model:tokenwarden_cost:rate1h
        expr: |
          (
              sum without (org, team, project, agent) (tokenwarden_cost_total)
            - (sum without (org, team, project, agent) (tokenwarden_cost_total offset 1h) or sum without (org, team, project, agent) (tokenwarden_cost_total) * 0)
          ) / 3600

      # The same hour's spend rate on each of the past 7 days, averaged over the days that have
      # data (a team that is 3 days old gets a 3-day baseline). `offset Nd` moves the hourly
      # window back whole days; label_replace tags each day so `or` keeps all seven, and `avg`
      # drops the tag again.
      - record: org_team:tokenwarden_cost:rate1h_same_hour_baseline_1w
        expr: |
          avg without (offset_days) (
              label_replace(org_team:tokenwarden_cost:rate1h offset 1d, "offset_days", "1", "", "")
            or label_replace(org_team:tokenwarden_cost:rate1h offset 2d, "offset_days", "2", "", "")
            or label_replace(org_team:tokenwarden_cost:rate1h offset 3d, "offset_days", "3", "", "")
            or label_replace(org_team:tokenwarden_cost:rate1h offset 4d, "offset_days", "4", "", "")
            or label_replace(org_team:tokenwarden_cost:rate1h offset 5d, "offset_days", "5", "", "")
            or label_replace(org_team:tokenwarden_cost:rate1h offset 6d, "offset_days", "6", "", "")
            or label_replace(org_team:tokenwarden_cost:rate1h offset 7d, "offset_days", "7", "", "")
          )

      # The exact spend of the current reporting day, week and month per team (from the
      # ledger, not from counter arithmetic), for alerts and tables that group by team.
      - record: org_team:tokenwarden_period_cost:sum
        expr: sum without (provider, model, project, agent) (tokenwarden_period_cost)

  - name: tokenwarden-budgets
    rules:
      # A budget with a limit in money and in tokens has a ratio per unit; the higher one binds.
      # Without `unit`, the series match tokenwarden_budget_period_end_timestamp_seconds and
      # tokenwarden_budget_step (labels: budget and the instance's scope labels).
      - record: budget:tokenwarden_budget_usage_ratio:max
        expr: max without (unit) (tokenwarden_budget_usage_ratio)

      # Where the usage ratio will be when the period ends, if it keeps going as in the last 6
      # hours. predict_linear takes one scalar horizon for all series, but each budget's period
      # ends at its own time, so the linear fit is written out: predict_linear(v, 0) is the fitted
      # value now and deriv(v) the fitted slope (the same least-squares line), projected over
      # each budget's own time left. Only calendar periods have a period end; rolling and total
      # budgets get no forecast.
      - record: budget:tokenwarden_budget_usage_ratio:forecast_period_end
        expr: |
          predict_linear(budget:tokenwarden_budget_usage_ratio:max[6h], 0)
            + deriv(budget:tokenwarden_budget_usage_ratio:max[6h])
              * (tokenwarden_budget_period_end_timestamp_seconds - time())
"""##)
}
