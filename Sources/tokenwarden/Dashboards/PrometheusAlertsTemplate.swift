// The source of `Dashboards/prometheus/tokenwarden-alerts.yml`: `tokenwarden dashboards render` writes that file from it
// (`make dashboards` for the shipped defaults). Edit here, then render; a test keeps the two equal.
// Markers: @@CURRENCY@@, @@CURRENCY_UNIT@@ (Grafana's unit for it), @@RUNBOOK_BASE@@.

extension DashboardTemplate {
    /// The Prometheus alerting rules.
    static let prometheusAlerts = DashboardTemplate(path: "prometheus/tokenwarden-alerts.yml", text: ##"""
# TokenWarden alerts. Load tokenwarden-recording.yml too: the forecast, anomaly and budget-step
# alerts read its recorded series.
#
# The TokenWardenDown/Absent alerts expect the scrape job's name to contain "tokenwarden" (the
# README's scrape config calls it `tokenwarden`). Every alert links its section of
# docs/runbooks.md.
groups:
  - name: tokenwarden-budgets
    rules:
      # One alert per enforcing step. $value is the budget's usage ratio (the higher of its
      # money and token ratios); the labels are the budget's name and scope. A per-user budget
      # alerts once per step and scope, with the highest user's ratio: alerts carry no user
      # label (a pseudonym or an address would reach every receiver and chat channel).
      - alert: TokenWardenBudgetWarn
        expr: max without (user) (budget:tokenwarden_budget_usage_ratio:max and ignoring (step) (tokenwarden_budget_step{step="warn"} == 1))
        labels:
          severity: warning
          step: warn
        annotations:
          summary: 'Budget {{ $labels.budget }} is at its warn step ({{ $value | humanizePercentage }} used)'
          description: >-
            Budget {{ $labels.budget }} has used {{ $value | humanizePercentage }} of its limit
            and reached its warn step: checks are still allowed but answer with a warning. The throttle or deny
            step comes next.
          runbook_url: @@RUNBOOK_BASE@@docs/runbooks.md#tokenwardenbudgetwarn
      - alert: TokenWardenBudgetThrottling
        expr: max without (user) (budget:tokenwarden_budget_usage_ratio:max and ignoring (step) (tokenwarden_budget_step{step="throttle"} == 1))
        labels:
          severity: critical
          step: throttle
        annotations:
          summary: 'Budget {{ $labels.budget }} is throttling requests ({{ $value | humanizePercentage }} used)'
          description: >-
            Budget {{ $labels.budget }} has used {{ $value | humanizePercentage }} of its limit
            and reached its throttle step: /v1/check answers 429 (or lets requests through at the step's rate)
            until the period ends or the limit is raised.
          runbook_url: @@RUNBOOK_BASE@@docs/runbooks.md#tokenwardenbudgetthrottling
      - alert: TokenWardenBudgetDenying
        expr: max without (user) (budget:tokenwarden_budget_usage_ratio:max and ignoring (step) (tokenwarden_budget_step{step="deny"} == 1))
        labels:
          severity: critical
          step: deny
        annotations:
          summary: 'Budget {{ $labels.budget }} is denying requests ({{ $value | humanizePercentage }} used)'
          description: >-
            Budget {{ $labels.budget }} has used {{ $value | humanizePercentage }} of its limit
            and reached its deny step: every /v1/check in its scope answers 403 until the period ends or the
            limit is raised.
          runbook_url: @@RUNBOOK_BASE@@docs/runbooks.md#tokenwardenbudgetdenying

      # The linear trend of the last 6 hours passes the limit before the period ends, while the
      # budget is still under it (over it, the step alerts above speak).
      - alert: TokenWardenBudgetForecastOverrun
        expr: |
          max without (user) (
            budget:tokenwarden_budget_usage_ratio:forecast_period_end > 1
            and budget:tokenwarden_budget_usage_ratio:max < 1
          )
        for: 30m
        labels:
          severity: warning
        annotations:
          summary: 'Budget {{ $labels.budget }} is forecast to exceed its limit before the period ends'
          description: >-
            At the rate of the last 6 hours, budget {{ $labels.budget }} will have used
            {{ $value | humanizePercentage }} of its limit when its period ends.
          runbook_url: @@RUNBOOK_BASE@@docs/runbooks.md#tokenwardenbudgetforecastoverrun

  - name: tokenwarden-spend
    rules:
      # A team spends at least 3x its usual rate for this hour of the day (the average of the same
      # hour over the past week) and at least 1 currency unit an hour, for 15 minutes. The floor
      # keeps a team that usually spends cents from paging anyone.
      - alert: TokenWardenSpendAnomaly
        expr: |
          org_team:tokenwarden_cost:rate1h * 3600 > 3 * 3600 * org_team:tokenwarden_cost:rate1h_same_hour_baseline_1w
          and org_team:tokenwarden_cost:rate1h * 3600 >= 1
        for: 15m
        labels:
          severity: warning
        annotations:
          summary: 'Team {{ $labels.team }} is spending far above its usual rate for this hour'
          description: >-
            Team {{ $labels.team }} (org {{ $labels.org }}) spent {{ printf "%.2f" $value }} {{ $labels.currency }}
            in the last hour, more than 3 times its average for the same hour over the past week.
          runbook_url: @@RUNBOOK_BASE@@docs/runbooks.md#tokenwardenspendanomaly

  - name: tokenwarden-operations
    rules:
      # No usage event was accepted for 30 minutes, although the same half hour yesterday or the
      # hour before had traffic. (A target that never had traffic does not alert.)
      - alert: TokenWardenIngestionStalled
        expr: |
          sum by (job, instance) (increase(tokenwarden_requests_total[30m])) == 0
          and (
              sum by (job, instance) (increase(tokenwarden_requests_total[30m] offset 1d)) > 0
            or
              sum by (job, instance) (increase(tokenwarden_requests_total[1h] offset 30m)) > 0
          )
        for: 5m
        labels:
          severity: warning
        annotations:
          summary: 'TokenWarden {{ $labels.instance }} has accepted no usage events for 30 minutes'
          description: >-
            {{ $labels.instance }} recorded no usage events in the last 30 minutes, although it had traffic the
            hour before or at this time yesterday. Spend is not being counted, so budgets are not enforced on it.
          runbook_url: @@RUNBOOK_BASE@@docs/runbooks.md#tokenwardeningestionstalled

      - alert: TokenWardenDown
        expr: up{job=~".*tokenwarden.*"} == 0
        for: 2m
        labels:
          severity: critical
        annotations:
          summary: 'TokenWarden {{ $labels.instance }} is down'
          description: >-
            Prometheus could not scrape {{ $labels.instance }} (job {{ $labels.job }}) for 2 minutes. Agents that
            call /v1/check cannot get decisions, and usage is not being recorded.
          runbook_url: @@RUNBOOK_BASE@@docs/runbooks.md#tokenwardendown
      - alert: TokenWardenAbsent
        expr: absent(up{job=~".*tokenwarden.*"})
        for: 5m
        labels:
          severity: critical
        annotations:
          summary: 'No TokenWarden target is being scraped'
          description: >-
            Prometheus has no scrape target whose job name contains "tokenwarden": it was removed from the
            scrape configuration or service discovery lost it, so nothing watches spend.
          runbook_url: @@RUNBOOK_BASE@@docs/runbooks.md#tokenwardenabsent

      - alert: TokenWardenRuleReloadFailed
        expr: tokenwarden_rules_last_reload_successful == 0
        for: 1m
        labels:
          severity: warning
        annotations:
          summary: 'TokenWarden {{ $labels.instance }} rejected its rule files'
          description: >-
            The last reload of the rule files on {{ $labels.instance }} failed; the previous rules stay in force,
            so the edit that was meant to take effect has not.
          runbook_url: @@RUNBOOK_BASE@@docs/runbooks.md#tokenwardenrulereloadfailed

      - alert: TokenWardenSeriesOverflow
        expr: increase(tokenwarden_series_overflow_total[15m]) > 0
        labels:
          severity: warning
        annotations:
          summary: 'TokenWarden {{ $labels.instance }} is counting usage under __other__'
          description: >-
            {{ $value | humanize }} usage events in the last 15 minutes had new label sets beyond the series limit
            and were counted under the label value __other__: totals stay exact, but per-team and per-agent
            panels no longer show where that spend went.
          runbook_url: @@RUNBOOK_BASE@@docs/runbooks.md#tokenwardenseriesoverflow

      - alert: TokenWardenAuditAppendFailing
        expr: increase(tokenwarden_audit_append_failures_total[10m]) > 0
        labels:
          severity: critical
        annotations:
          summary: 'TokenWarden {{ $labels.instance }} cannot write its audit log'
          description: >-
            {{ $value | humanize }} audit rows could not be appended in the last 10 minutes: threshold crossings,
            denials and reloads are missing from the tamper-evident audit log.
          runbook_url: @@RUNBOOK_BASE@@docs/runbooks.md#tokenwardenauditappendfailing

      - alert: TokenWardenReservationsFull
        expr: increase(tokenwarden_reservations_refused_total[10m]) > 0
        labels:
          severity: warning
        annotations:
          summary: 'TokenWarden {{ $labels.instance }} is refusing checks: too many unclaimed reservations'
          description: >-
            {{ $value | humanize }} pre-flight checks in the last 10 minutes were answered 503 because
            reservations.max_active reservations were live: agents check but never commit or release, so
            their estimates stay held until they expire.
          runbook_url: @@RUNBOOK_BASE@@docs/runbooks.md#tokenwardenreservationsfull

      # Usage that carries no price: recorded at zero cost (`unknown_models: record_at_zero_cost`)
      # or rejected as an unknown model. Either way the spend panels and budgets miss it.
      - alert: TokenWardenUnpricedUsage
        expr: |
          sum by (job, instance, provider, model) (increase(tokenwarden_unpriced_events_total[15m])) > 0
          or
          sum by (job, instance, reason) (increase(tokenwarden_usage_events_rejected_total{reason="unknown_model"}[15m])) > 0
        labels:
          severity: warning
        annotations:
          summary: 'TokenWarden {{ $labels.instance }} received usage it cannot price'
          description: >-
            {{ $value | humanize }} usage events in the last 15 minutes named a model that no pricing file
            prices{{ with $labels.model }} ({{ $labels.provider }}/{{ . }}){{ end }}: they were recorded at zero cost or
            rejected, so spend and budgets do not count them.
          runbook_url: @@RUNBOOK_BASE@@docs/runbooks.md#tokenwardenunpricedusage
"""##)
}
