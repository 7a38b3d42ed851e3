// The source of `Dashboards/grafana/tokenwarden-spend.json`: `tokenwarden dashboards render` writes that file from it
// (`make dashboards` for the shipped defaults). Edit here, then render; a test keeps the two equal.
// Markers: @@CURRENCY@@, @@CURRENCY_UNIT@@ (Grafana's unit for it), @@RUNBOOK_BASE@@.

extension DashboardTemplate {
    /// The *Spend overview* Grafana dashboard.
    static let grafanaSpend = DashboardTemplate(path: "grafana/tokenwarden-spend.json", text: ##"""
{
  "__inputs": [
    {
      "name": "DS_PROMETHEUS",
      "label": "Prometheus",
      "description": "The Prometheus that scrapes TokenWarden (with Dashboards/prometheus/tokenwarden-recording.yml loaded)",
      "type": "datasource",
      "pluginId": "prometheus",
      "pluginName": "Prometheus"
    }
  ],
  "__elements": {},
  "__requires": [
    {
      "type": "grafana",
      "id": "grafana",
      "name": "Grafana",
      "version": "10.4.0"
    },
    {
      "type": "datasource",
      "id": "prometheus",
      "name": "Prometheus",
      "version": "1.0.0"
    },
    {
      "type": "panel",
      "id": "bargauge",
      "name": "Bar gauge",
      "version": ""
    },
    {
      "type": "panel",
      "id": "stat",
      "name": "Stat",
      "version": ""
    },
    {
      "type": "panel",
      "id": "timeseries",
      "name": "Time series",
      "version": ""
    }
  ],
  "annotations": {
    "list": [
      {
        "builtIn": 1,
        "datasource": {
          "type": "grafana",
          "uid": "-- Grafana --"
        },
        "enable": true,
        "hide": true,
        "iconColor": "rgba(0, 211, 255, 1)",
        "name": "Annotations & Alerts",
        "type": "dashboard"
      }
    ]
  },
  "description": "What LLM agents spend: by team, project, model and provider, tokens by kind, caching, top spenders and the trend.",
  "editable": true,
  "fiscalYearStartMonth": 0,
  "graphTooltip": 1,
  "id": null,
  "links": [
    {
      "asDropdown": false,
      "icon": "external link",
      "includeVars": false,
      "keepTime": true,
      "tags": [
        "tokenwarden"
      ],
      "targetBlank": false,
      "title": "TokenWarden",
      "tooltip": "",
      "type": "dashboards",
      "url": ""
    }
  ],
  "panels": [
    {
      "collapsed": false,
      "gridPos": {
        "h": 1,
        "w": 24,
        "x": 0,
        "y": 0
      },
      "id": 1,
      "panels": [],
      "title": "Spend",
      "type": "row"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Spend since midnight in the reporting time zone (reporting.timezone in tokenwarden.yaml), exact from the ledger (tokenwarden_period_cost), all selected labels.",
      "fieldConfig": {
        "defaults": {
          "unit": "@@CURRENCY_UNIT@@",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "thresholds"
          },
          "decimals": 2
        },
        "overrides": []
      },
      "gridPos": {
        "h": 5,
        "w": 4,
        "x": 0,
        "y": 1
      },
      "id": 2,
      "options": {
        "colorMode": "value",
        "graphMode": "none",
        "justifyMode": "auto",
        "orientation": "auto",
        "reduceOptions": {
          "calcs": [
            "lastNotNull"
          ],
          "fields": "",
          "values": false
        },
        "textMode": "auto",
        "wideLayout": true
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "sum(tokenwarden_period_cost{period=\"day\", currency=\"$currency\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"})",
          "legendFormat": "__auto",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Spend today ($timezone)",
      "type": "stat"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Spend since the first of the month in the reporting time zone, exact from the ledger (tokenwarden_period_cost).",
      "fieldConfig": {
        "defaults": {
          "unit": "@@CURRENCY_UNIT@@",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "thresholds"
          },
          "decimals": 2
        },
        "overrides": []
      },
      "gridPos": {
        "h": 5,
        "w": 4,
        "x": 4,
        "y": 1
      },
      "id": 3,
      "options": {
        "colorMode": "value",
        "graphMode": "none",
        "justifyMode": "auto",
        "orientation": "auto",
        "reduceOptions": {
          "calcs": [
            "lastNotNull"
          ],
          "fields": "",
          "values": false
        },
        "textMode": "auto",
        "wideLayout": true
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "sum(tokenwarden_period_cost{period=\"month\", currency=\"$currency\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"})",
          "legendFormat": "__auto",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Spend this month ($timezone)",
      "type": "stat"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Spend over the last hour, which is the spend rate per hour. New label sets count from their first event.",
      "fieldConfig": {
        "defaults": {
          "unit": "@@CURRENCY_UNIT@@",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "thresholds"
          },
          "decimals": 2
        },
        "overrides": []
      },
      "gridPos": {
        "h": 5,
        "w": 4,
        "x": 8,
        "y": 1
      },
      "id": 4,
      "options": {
        "colorMode": "value",
        "graphMode": "none",
        "justifyMode": "auto",
        "orientation": "auto",
        "reduceOptions": {
          "calcs": [
            "lastNotNull"
          ],
          "fields": "",
          "values": false
        },
        "textMode": "auto",
        "wideLayout": true
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "sum (tokenwarden_cost_total{currency=\"$currency\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}) - (sum (tokenwarden_cost_total{currency=\"$currency\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"} offset 1h) or sum (tokenwarden_cost_total{currency=\"$currency\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}) * 0)",
          "legendFormat": "__auto",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Spend rate (per hour, last hour)",
      "type": "stat"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Average cost of one usage event over the dashboard's time range.",
      "fieldConfig": {
        "defaults": {
          "unit": "@@CURRENCY_UNIT@@",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "thresholds"
          },
          "decimals": 4
        },
        "overrides": []
      },
      "gridPos": {
        "h": 5,
        "w": 4,
        "x": 12,
        "y": 1
      },
      "id": 5,
      "options": {
        "colorMode": "value",
        "graphMode": "none",
        "justifyMode": "auto",
        "orientation": "auto",
        "reduceOptions": {
          "calcs": [
            "lastNotNull"
          ],
          "fields": "",
          "values": false
        },
        "textMode": "auto",
        "wideLayout": true
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "(sum (tokenwarden_cost_total{currency=\"$currency\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}) - (sum (tokenwarden_cost_total{currency=\"$currency\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"} offset $__range) or sum (tokenwarden_cost_total{currency=\"$currency\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}) * 0)) / (sum (tokenwarden_requests_total{org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}) - (sum (tokenwarden_requests_total{org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"} offset $__range) or sum (tokenwarden_requests_total{org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}) * 0))",
          "legendFormat": "__auto",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Cost per request",
      "type": "stat"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Input tokens read from the provider's prompt cache, as a share of all input tokens (uncached, cache read, cache creation).",
      "fieldConfig": {
        "defaults": {
          "unit": "percentunit",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "thresholds"
          },
          "decimals": 1
        },
        "overrides": []
      },
      "gridPos": {
        "h": 5,
        "w": 4,
        "x": 16,
        "y": 1
      },
      "id": 6,
      "options": {
        "colorMode": "value",
        "graphMode": "none",
        "justifyMode": "auto",
        "orientation": "auto",
        "reduceOptions": {
          "calcs": [
            "lastNotNull"
          ],
          "fields": "",
          "values": false
        },
        "textMode": "auto",
        "wideLayout": true
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "(sum (tokenwarden_tokens_total{kind=~\"cache_read\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}) - (sum (tokenwarden_tokens_total{kind=~\"cache_read\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"} offset $__range) or sum (tokenwarden_tokens_total{kind=~\"cache_read\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}) * 0)) / (sum (tokenwarden_tokens_total{kind=~\"input|audio_input|cache_read|cache_creation\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}) - (sum (tokenwarden_tokens_total{kind=~\"input|audio_input|cache_read|cache_creation\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"} offset $__range) or sum (tokenwarden_tokens_total{kind=~\"input|audio_input|cache_read|cache_creation\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}) * 0))",
          "legendFormat": "__auto",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Cache hit ratio",
      "type": "stat"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Usage events recorded in the dashboard's time range.",
      "fieldConfig": {
        "defaults": {
          "unit": "short",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "thresholds"
          },
          "decimals": 0
        },
        "overrides": []
      },
      "gridPos": {
        "h": 5,
        "w": 4,
        "x": 20,
        "y": 1
      },
      "id": 7,
      "options": {
        "colorMode": "value",
        "graphMode": "none",
        "justifyMode": "auto",
        "orientation": "auto",
        "reduceOptions": {
          "calcs": [
            "lastNotNull"
          ],
          "fields": "",
          "values": false
        },
        "textMode": "auto",
        "wideLayout": true
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "sum (tokenwarden_requests_total{org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}) - (sum (tokenwarden_requests_total{org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"} offset $__range) or sum (tokenwarden_requests_total{org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}) * 0)",
          "legendFormat": "__auto",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Requests",
      "type": "stat"
    },
    {
      "collapsed": false,
      "gridPos": {
        "h": 1,
        "w": 24,
        "x": 0,
        "y": 6
      },
      "id": 8,
      "panels": [],
      "title": "Spend today and this month",
      "type": "row"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Spend today per team in the reporting time zone, exact from the ledger (tokenwarden_period_cost). An empty team label means the events did not name one.",
      "fieldConfig": {
        "defaults": {
          "unit": "@@CURRENCY_UNIT@@",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "thresholds"
          },
          "decimals": 2,
          "min": 0
        },
        "overrides": []
      },
      "gridPos": {
        "h": 9,
        "w": 6,
        "x": 0,
        "y": 7
      },
      "id": 9,
      "options": {
        "displayMode": "gradient",
        "minVizHeight": 16,
        "minVizWidth": 8,
        "namePlacement": "auto",
        "orientation": "horizontal",
        "valueMode": "color",
        "showUnfilled": true,
        "sizing": "auto",
        "reduceOptions": {
          "calcs": [
            "lastNotNull"
          ],
          "fields": "",
          "values": false
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "sort_desc(sum by (org, team) (tokenwarden_period_cost{period=\"day\", currency=\"$currency\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}) > 0)",
          "legendFormat": "{{team}}",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Spend today by team ($timezone)",
      "type": "bargauge"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Spend this month per team in the reporting time zone, exact from the ledger (tokenwarden_period_cost). An empty team label means the events did not name one.",
      "fieldConfig": {
        "defaults": {
          "unit": "@@CURRENCY_UNIT@@",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "thresholds"
          },
          "decimals": 2,
          "min": 0
        },
        "overrides": []
      },
      "gridPos": {
        "h": 9,
        "w": 6,
        "x": 6,
        "y": 7
      },
      "id": 10,
      "options": {
        "displayMode": "gradient",
        "minVizHeight": 16,
        "minVizWidth": 8,
        "namePlacement": "auto",
        "orientation": "horizontal",
        "valueMode": "color",
        "showUnfilled": true,
        "sizing": "auto",
        "reduceOptions": {
          "calcs": [
            "lastNotNull"
          ],
          "fields": "",
          "values": false
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "sort_desc(sum by (org, team) (tokenwarden_period_cost{period=\"month\", currency=\"$currency\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}) > 0)",
          "legendFormat": "{{team}}",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Spend this month by team ($timezone)",
      "type": "bargauge"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Spend today per project in the reporting time zone, exact from the ledger (tokenwarden_period_cost). An empty project label means the events did not name one.",
      "fieldConfig": {
        "defaults": {
          "unit": "@@CURRENCY_UNIT@@",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "thresholds"
          },
          "decimals": 2,
          "min": 0
        },
        "overrides": []
      },
      "gridPos": {
        "h": 9,
        "w": 6,
        "x": 12,
        "y": 7
      },
      "id": 11,
      "options": {
        "displayMode": "gradient",
        "minVizHeight": 16,
        "minVizWidth": 8,
        "namePlacement": "auto",
        "orientation": "horizontal",
        "valueMode": "color",
        "showUnfilled": true,
        "sizing": "auto",
        "reduceOptions": {
          "calcs": [
            "lastNotNull"
          ],
          "fields": "",
          "values": false
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "sort_desc(sum by (org, team, project) (tokenwarden_period_cost{period=\"day\", currency=\"$currency\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}) > 0)",
          "legendFormat": "{{project}}",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Spend today by project ($timezone)",
      "type": "bargauge"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Spend this month per project in the reporting time zone, exact from the ledger (tokenwarden_period_cost). An empty project label means the events did not name one.",
      "fieldConfig": {
        "defaults": {
          "unit": "@@CURRENCY_UNIT@@",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "thresholds"
          },
          "decimals": 2,
          "min": 0
        },
        "overrides": []
      },
      "gridPos": {
        "h": 9,
        "w": 6,
        "x": 18,
        "y": 7
      },
      "id": 12,
      "options": {
        "displayMode": "gradient",
        "minVizHeight": 16,
        "minVizWidth": 8,
        "namePlacement": "auto",
        "orientation": "horizontal",
        "valueMode": "color",
        "showUnfilled": true,
        "sizing": "auto",
        "reduceOptions": {
          "calcs": [
            "lastNotNull"
          ],
          "fields": "",
          "values": false
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "sort_desc(sum by (org, team, project) (tokenwarden_period_cost{period=\"month\", currency=\"$currency\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}) > 0)",
          "legendFormat": "{{project}}",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Spend this month by project ($timezone)",
      "type": "bargauge"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Spend today per model in the reporting time zone, exact from the ledger (tokenwarden_period_cost). An empty model label means the events did not name one.",
      "fieldConfig": {
        "defaults": {
          "unit": "@@CURRENCY_UNIT@@",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "thresholds"
          },
          "decimals": 2,
          "min": 0
        },
        "overrides": []
      },
      "gridPos": {
        "h": 9,
        "w": 6,
        "x": 0,
        "y": 16
      },
      "id": 13,
      "options": {
        "displayMode": "gradient",
        "minVizHeight": 16,
        "minVizWidth": 8,
        "namePlacement": "auto",
        "orientation": "horizontal",
        "valueMode": "color",
        "showUnfilled": true,
        "sizing": "auto",
        "reduceOptions": {
          "calcs": [
            "lastNotNull"
          ],
          "fields": "",
          "values": false
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "sort_desc(sum by (provider, model) (tokenwarden_period_cost{period=\"day\", currency=\"$currency\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}) > 0)",
          "legendFormat": "{{model}}",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Spend today by model ($timezone)",
      "type": "bargauge"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Spend this month per model in the reporting time zone, exact from the ledger (tokenwarden_period_cost). An empty model label means the events did not name one.",
      "fieldConfig": {
        "defaults": {
          "unit": "@@CURRENCY_UNIT@@",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "thresholds"
          },
          "decimals": 2,
          "min": 0
        },
        "overrides": []
      },
      "gridPos": {
        "h": 9,
        "w": 6,
        "x": 6,
        "y": 16
      },
      "id": 14,
      "options": {
        "displayMode": "gradient",
        "minVizHeight": 16,
        "minVizWidth": 8,
        "namePlacement": "auto",
        "orientation": "horizontal",
        "valueMode": "color",
        "showUnfilled": true,
        "sizing": "auto",
        "reduceOptions": {
          "calcs": [
            "lastNotNull"
          ],
          "fields": "",
          "values": false
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "sort_desc(sum by (provider, model) (tokenwarden_period_cost{period=\"month\", currency=\"$currency\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}) > 0)",
          "legendFormat": "{{model}}",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Spend this month by model ($timezone)",
      "type": "bargauge"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Spend today per provider in the reporting time zone, exact from the ledger (tokenwarden_period_cost). An empty provider label means the events did not name one.",
      "fieldConfig": {
        "defaults": {
          "unit": "@@CURRENCY_UNIT@@",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "thresholds"
          },
          "decimals": 2,
          "min": 0
        },
        "overrides": []
      },
      "gridPos": {
        "h": 9,
        "w": 6,
        "x": 12,
        "y": 16
      },
      "id": 15,
      "options": {
        "displayMode": "gradient",
        "minVizHeight": 16,
        "minVizWidth": 8,
        "namePlacement": "auto",
        "orientation": "horizontal",
        "valueMode": "color",
        "showUnfilled": true,
        "sizing": "auto",
        "reduceOptions": {
          "calcs": [
            "lastNotNull"
          ],
          "fields": "",
          "values": false
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "sort_desc(sum by (provider) (tokenwarden_period_cost{period=\"day\", currency=\"$currency\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}) > 0)",
          "legendFormat": "{{provider}}",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Spend today by provider ($timezone)",
      "type": "bargauge"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Spend this month per provider in the reporting time zone, exact from the ledger (tokenwarden_period_cost). An empty provider label means the events did not name one.",
      "fieldConfig": {
        "defaults": {
          "unit": "@@CURRENCY_UNIT@@",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "thresholds"
          },
          "decimals": 2,
          "min": 0
        },
        "overrides": []
      },
      "gridPos": {
        "h": 9,
        "w": 6,
        "x": 18,
        "y": 16
      },
      "id": 16,
      "options": {
        "displayMode": "gradient",
        "minVizHeight": 16,
        "minVizWidth": 8,
        "namePlacement": "auto",
        "orientation": "horizontal",
        "valueMode": "color",
        "showUnfilled": true,
        "sizing": "auto",
        "reduceOptions": {
          "calcs": [
            "lastNotNull"
          ],
          "fields": "",
          "values": false
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "sort_desc(sum by (provider) (tokenwarden_period_cost{period=\"month\", currency=\"$currency\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}) > 0)",
          "legendFormat": "{{provider}}",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Spend this month by provider ($timezone)",
      "type": "bargauge"
    },
    {
      "collapsed": false,
      "gridPos": {
        "h": 1,
        "w": 24,
        "x": 0,
        "y": 25
      },
      "id": 17,
      "panels": [],
      "title": "Tokens and caching",
      "type": "row"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Tokens per second by kind. input, cache_read, cache_creation and output partition all tokens; reasoning tokens are the part of output the model spent thinking.",
      "fieldConfig": {
        "defaults": {
          "unit": "short",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "palette-classic"
          },
          "custom": {
            "drawStyle": "line",
            "lineWidth": 1,
            "fillOpacity": 10,
            "showPoints": "never",
            "spanNulls": false,
            "axisLabel": "tokens/s",
            "stacking": {
              "mode": "none",
              "group": "A"
            },
            "thresholdsStyle": {
              "mode": "off"
            }
          }
        },
        "overrides": []
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 0,
        "y": 26
      },
      "id": 18,
      "options": {
        "legend": {
          "calcs": [
            "lastNotNull"
          ],
          "displayMode": "table",
          "placement": "right",
          "showLegend": true
        },
        "tooltip": {
          "mode": "multi",
          "sort": "desc"
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "sum by (kind) (rate(tokenwarden_tokens_total{org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}[$__rate_interval]))",
          "legendFormat": "{{kind}}",
          "refId": "A",
          "instant": false,
          "range": true
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "sum(rate(tokenwarden_reasoning_tokens_total{org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}[$__rate_interval]))",
          "legendFormat": "reasoning (part of output)",
          "refId": "B",
          "instant": false,
          "range": true
        }
      ],
      "title": "Tokens by kind",
      "type": "timeseries"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Tokens in the dashboard's time range, by kind.",
      "fieldConfig": {
        "defaults": {
          "unit": "short",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "thresholds"
          },
          "decimals": 0,
          "min": 0
        },
        "overrides": []
      },
      "gridPos": {
        "h": 8,
        "w": 6,
        "x": 12,
        "y": 26
      },
      "id": 19,
      "options": {
        "displayMode": "gradient",
        "minVizHeight": 16,
        "minVizWidth": 8,
        "namePlacement": "auto",
        "orientation": "horizontal",
        "valueMode": "color",
        "showUnfilled": true,
        "sizing": "auto",
        "reduceOptions": {
          "calcs": [
            "lastNotNull"
          ],
          "fields": "",
          "values": false
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "sum by (kind) (tokenwarden_tokens_total{org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}) - (sum by (kind) (tokenwarden_tokens_total{org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"} offset $__range) or sum by (kind) (tokenwarden_tokens_total{org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}) * 0)",
          "legendFormat": "{{kind}}",
          "refId": "A",
          "instant": true,
          "range": false
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "sum (tokenwarden_reasoning_tokens_total{org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}) - (sum (tokenwarden_reasoning_tokens_total{org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"} offset $__range) or sum (tokenwarden_reasoning_tokens_total{org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}) * 0)",
          "legendFormat": "reasoning (part of output)",
          "refId": "B",
          "instant": true,
          "range": false
        }
      ],
      "title": "Tokens by kind in range",
      "type": "bargauge"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Input tokens billed at the cache-read price instead of the full input price: what caching saved, in tokens. (Exposition has no cost-by-token-kind counter, so the saving is not shown in money.)",
      "fieldConfig": {
        "defaults": {
          "unit": "short",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "thresholds"
          },
          "decimals": 0,
          "min": 0
        },
        "overrides": []
      },
      "gridPos": {
        "h": 8,
        "w": 6,
        "x": 18,
        "y": 26
      },
      "id": 20,
      "options": {
        "displayMode": "gradient",
        "minVizHeight": 16,
        "minVizWidth": 8,
        "namePlacement": "auto",
        "orientation": "horizontal",
        "valueMode": "color",
        "showUnfilled": true,
        "sizing": "auto",
        "reduceOptions": {
          "calcs": [
            "lastNotNull"
          ],
          "fields": "",
          "values": false
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "sort_desc(sum by (provider, model) (tokenwarden_tokens_total{kind=~\"cache_read\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}) - (sum by (provider, model) (tokenwarden_tokens_total{kind=~\"cache_read\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"} offset $__range) or sum by (provider, model) (tokenwarden_tokens_total{kind=~\"cache_read\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}) * 0))",
          "legendFormat": "{{model}}",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Tokens served from cache by model",
      "type": "bargauge"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Share of each model's input tokens read from the prompt cache.",
      "fieldConfig": {
        "defaults": {
          "unit": "percentunit",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "palette-classic"
          },
          "min": 0,
          "max": 1,
          "custom": {
            "drawStyle": "line",
            "lineWidth": 1,
            "fillOpacity": 10,
            "showPoints": "never",
            "spanNulls": false,
            "stacking": {
              "mode": "none",
              "group": "A"
            },
            "thresholdsStyle": {
              "mode": "off"
            }
          }
        },
        "overrides": []
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 0,
        "y": 34
      },
      "id": 21,
      "options": {
        "legend": {
          "calcs": [
            "lastNotNull"
          ],
          "displayMode": "table",
          "placement": "right",
          "showLegend": true
        },
        "tooltip": {
          "mode": "multi",
          "sort": "desc"
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "sum by (provider, model) (rate(tokenwarden_tokens_total{kind=~\"cache_read\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}[$__rate_interval])) / sum by (provider, model) (rate(tokenwarden_tokens_total{kind=~\"input|audio_input|cache_read|cache_creation\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}[$__rate_interval]))",
          "legendFormat": "{{model}}",
          "refId": "A",
          "instant": false,
          "range": true
        }
      ],
      "title": "Cache hit ratio by model",
      "type": "timeseries"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Average cost of one usage event per model.",
      "fieldConfig": {
        "defaults": {
          "unit": "@@CURRENCY_UNIT@@",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "palette-classic"
          },
          "decimals": 4,
          "custom": {
            "drawStyle": "line",
            "lineWidth": 1,
            "fillOpacity": 10,
            "showPoints": "never",
            "spanNulls": false,
            "stacking": {
              "mode": "none",
              "group": "A"
            },
            "thresholdsStyle": {
              "mode": "off"
            }
          }
        },
        "overrides": []
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 12,
        "y": 34
      },
      "id": 22,
      "options": {
        "legend": {
          "calcs": [
            "lastNotNull"
          ],
          "displayMode": "table",
          "placement": "right",
          "showLegend": true
        },
        "tooltip": {
          "mode": "multi",
          "sort": "desc"
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "sum by (provider, model) (rate(tokenwarden_cost_total{currency=\"$currency\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}[$__rate_interval])) / sum by (provider, model) (rate(tokenwarden_requests_total{org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}[$__rate_interval]))",
          "legendFormat": "{{model}}",
          "refId": "A",
          "instant": false,
          "range": true
        }
      ],
      "title": "Cost per request by model",
      "type": "timeseries"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Estimated at today's list prices (tokenwarden_price_per_token, base tier): cache-read tokens × (input price − cache-read price), minus the cache-write premium, cache-creation tokens × (cache-creation price − input price). What the same calls would have cost without prompt caching, less what they cost.",
      "fieldConfig": {
        "defaults": {
          "unit": "@@CURRENCY_UNIT@@",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "thresholds"
          },
          "decimals": 2
        },
        "overrides": []
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 0,
        "y": 42
      },
      "id": 31,
      "options": {
        "colorMode": "value",
        "graphMode": "none",
        "justifyMode": "auto",
        "orientation": "auto",
        "reduceOptions": {
          "calcs": [
            "lastNotNull"
          ],
          "fields": "",
          "values": false
        },
        "textMode": "auto",
        "wideLayout": true
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "sum(sum by (provider, model) (increase(tokenwarden_tokens_total{kind=\"cache_read\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}[$__range])) * on (provider, model) sum by (provider, model) (tokenwarden_price_per_token{kind=\"input\", currency=\"$currency\"} - ignoring (kind) tokenwarden_price_per_token{kind=\"cache_read\", currency=\"$currency\"})) - (sum(sum by (provider, model) (increase(tokenwarden_tokens_total{kind=\"cache_creation\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}[$__range])) * on (provider, model) sum by (provider, model) (tokenwarden_price_per_token{kind=\"cache_creation\", currency=\"$currency\"} - ignoring (kind) tokenwarden_price_per_token{kind=\"input\", currency=\"$currency\"})) or vector(0))",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Saved by caching (estimate)",
      "type": "stat"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Estimated at today's list prices (tokenwarden_price_per_token, base tier): cache-read tokens × (input price − cache-read price), minus the cache-write premium, cache-creation tokens × (cache-creation price − input price). What the same calls would have cost without prompt caching, less what they cost.",
      "fieldConfig": {
        "defaults": {
          "unit": "@@CURRENCY_UNIT@@",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "thresholds"
          },
          "decimals": 0,
          "min": 0
        },
        "overrides": []
      },
      "gridPos": {
        "h": 8,
        "w": 16,
        "x": 8,
        "y": 42
      },
      "id": 32,
      "options": {
        "displayMode": "gradient",
        "minVizHeight": 16,
        "minVizWidth": 8,
        "namePlacement": "auto",
        "orientation": "horizontal",
        "valueMode": "color",
        "showUnfilled": true,
        "sizing": "auto",
        "reduceOptions": {
          "calcs": [
            "lastNotNull"
          ],
          "fields": "",
          "values": false
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "sort_desc((sum by (provider, model) (increase(tokenwarden_tokens_total{kind=\"cache_read\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}[$__range])) * on (provider, model) sum by (provider, model) (tokenwarden_price_per_token{kind=\"input\", currency=\"$currency\"} - ignoring (kind) tokenwarden_price_per_token{kind=\"cache_read\", currency=\"$currency\"})) - ((sum by (provider, model) (increase(tokenwarden_tokens_total{kind=\"cache_creation\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}[$__range])) * on (provider, model) sum by (provider, model) (tokenwarden_price_per_token{kind=\"cache_creation\", currency=\"$currency\"} - ignoring (kind) tokenwarden_price_per_token{kind=\"input\", currency=\"$currency\"})) or (sum by (provider, model) (increase(tokenwarden_tokens_total{kind=\"cache_read\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\"}[$__range])) * on (provider, model) sum by (provider, model) (tokenwarden_price_per_token{kind=\"input\", currency=\"$currency\"} - ignoring (kind) tokenwarden_price_per_token{kind=\"cache_read\", currency=\"$currency\"})) * 0))",
          "legendFormat": "{{provider}} {{model}}",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Saved by caching by model (estimate)",
      "type": "bargauge"
    },
    {
      "collapsed": false,
      "gridPos": {
        "h": 1,
        "w": 24,
        "x": 0,
        "y": 50
      },
      "id": 23,
      "panels": [],
      "title": "Top spenders",
      "type": "row"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Agents (attribution.agent) with the highest spend in the time range. Users are not a metric label by default (attribution.metric_labels in tokenwarden.yaml); per-user spend is in GET /v1/usage and the CSV export.",
      "fieldConfig": {
        "defaults": {
          "unit": "@@CURRENCY_UNIT@@",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "thresholds"
          },
          "decimals": 2,
          "min": 0
        },
        "overrides": []
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 0,
        "y": 51
      },
      "id": 24,
      "options": {
        "displayMode": "gradient",
        "minVizHeight": 16,
        "minVizWidth": 8,
        "namePlacement": "auto",
        "orientation": "horizontal",
        "valueMode": "color",
        "showUnfilled": true,
        "sizing": "auto",
        "reduceOptions": {
          "calcs": [
            "lastNotNull"
          ],
          "fields": "",
          "values": false
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "topk(10, sum by (org, team, agent) (tokenwarden_cost_total{currency=\"$currency\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\", agent!=\"\"}) - (sum by (org, team, agent) (tokenwarden_cost_total{currency=\"$currency\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\", agent!=\"\"} offset $__range) or sum by (org, team, agent) (tokenwarden_cost_total{currency=\"$currency\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\", agent!=\"\"}) * 0))",
          "legendFormat": "{{agent}} ({{team}})",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Top 10 agents by spend",
      "type": "bargauge"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Projects with the highest spend in the time range.",
      "fieldConfig": {
        "defaults": {
          "unit": "@@CURRENCY_UNIT@@",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "thresholds"
          },
          "decimals": 2,
          "min": 0
        },
        "overrides": []
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 8,
        "y": 51
      },
      "id": 25,
      "options": {
        "displayMode": "gradient",
        "minVizHeight": 16,
        "minVizWidth": 8,
        "namePlacement": "auto",
        "orientation": "horizontal",
        "valueMode": "color",
        "showUnfilled": true,
        "sizing": "auto",
        "reduceOptions": {
          "calcs": [
            "lastNotNull"
          ],
          "fields": "",
          "values": false
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "topk(10, sum by (org, team, project) (tokenwarden_cost_total{currency=\"$currency\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\", project!=\"\"}) - (sum by (org, team, project) (tokenwarden_cost_total{currency=\"$currency\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\", project!=\"\"} offset $__range) or sum by (org, team, project) (tokenwarden_cost_total{currency=\"$currency\", org=~\"$org\", team=~\"$team\", project=~\"$project\", model=~\"$model\", agent=~\"$agent\", project!=\"\"}) * 0))",
          "legendFormat": "{{project}} ({{team}})",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Top 10 projects by spend",
      "type": "bargauge"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Spend so far in the current month of the reporting time zone per user (tokenwarden_user_spend, computed from the usage log every metrics.user_spend_refresh). The user is no metric label, so the org, team, project, model and agent filters do not apply here; events without a user are not counted.",
      "fieldConfig": {
        "defaults": {
          "unit": "@@CURRENCY_UNIT@@",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "thresholds"
          },
          "decimals": 2,
          "min": 0
        },
        "overrides": []
      },
      "gridPos": {
        "h": 8,
        "w": 8,
        "x": 16,
        "y": 51
      },
      "id": 33,
      "options": {
        "displayMode": "gradient",
        "minVizHeight": 16,
        "minVizWidth": 8,
        "namePlacement": "auto",
        "orientation": "horizontal",
        "valueMode": "color",
        "showUnfilled": true,
        "sizing": "auto",
        "reduceOptions": {
          "calcs": [
            "lastNotNull"
          ],
          "fields": "",
          "values": false
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "topk(10, sum by (user) (tokenwarden_user_spend{period=\"month\", currency=\"$currency\", user!=\"__other__\"}))",
          "legendFormat": "{{user}}",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Top 10 users by spend this month ($timezone)",
      "type": "bargauge"
    },
    {
      "collapsed": false,
      "gridPos": {
        "h": 1,
        "w": 24,
        "x": 0,
        "y": 59
      },
      "id": 26,
      "panels": [],
      "title": "Spend rate and trend",
      "type": "row"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Each team's spend over the trailing hour, per hour (recorded: org_team:tokenwarden_cost:rate1h). Filtered by org and team only.",
      "fieldConfig": {
        "defaults": {
          "unit": "@@CURRENCY_UNIT@@",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "palette-classic"
          },
          "decimals": 2,
          "custom": {
            "drawStyle": "line",
            "lineWidth": 1,
            "fillOpacity": 10,
            "showPoints": "never",
            "spanNulls": false,
            "stacking": {
              "mode": "none",
              "group": "A"
            },
            "thresholdsStyle": {
              "mode": "off"
            }
          }
        },
        "overrides": []
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 0,
        "y": 60
      },
      "id": 27,
      "options": {
        "legend": {
          "calcs": [
            "lastNotNull"
          ],
          "displayMode": "table",
          "placement": "right",
          "showLegend": true
        },
        "tooltip": {
          "mode": "multi",
          "sort": "desc"
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "org_team:tokenwarden_cost:rate1h{currency=\"$currency\", org=~\"$org\", team=~\"$team\"} * 3600",
          "legendFormat": "{{team}}",
          "refId": "A",
          "instant": false,
          "range": true
        }
      ],
      "title": "Spend rate per team (per hour)",
      "type": "timeseries"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Spend per day over the trailing day and averaged over 30 days (recorded rules; the 30-day average needs 30 days of retention).",
      "fieldConfig": {
        "defaults": {
          "unit": "@@CURRENCY_UNIT@@",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "palette-classic"
          },
          "decimals": 2,
          "custom": {
            "drawStyle": "line",
            "lineWidth": 1,
            "fillOpacity": 10,
            "showPoints": "never",
            "spanNulls": false,
            "stacking": {
              "mode": "none",
              "group": "A"
            },
            "thresholdsStyle": {
              "mode": "off"
            }
          }
        },
        "overrides": []
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 12,
        "y": 60
      },
      "id": 28,
      "options": {
        "legend": {
          "calcs": [
            "lastNotNull"
          ],
          "displayMode": "table",
          "placement": "right",
          "showLegend": true
        },
        "tooltip": {
          "mode": "multi",
          "sort": "desc"
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "sum(org_team:tokenwarden_cost:rate1d{currency=\"$currency\", org=~\"$org\", team=~\"$team\"}) * 86400",
          "legendFormat": "last 24 hours",
          "refId": "A",
          "instant": false,
          "range": true
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "sum(org_team:tokenwarden_cost:rate30d{currency=\"$currency\", org=~\"$org\", team=~\"$team\"}) * 86400",
          "legendFormat": "30-day average",
          "refId": "B",
          "instant": false,
          "range": true
        }
      ],
      "title": "Daily spend: last 24 hours vs 30-day average",
      "type": "timeseries"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "How much faster (or slower, negative) spend runs this hour than over the last day.",
      "fieldConfig": {
        "defaults": {
          "unit": "percentunit",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              },
              {
                "color": "yellow",
                "value": 0.5
              },
              {
                "color": "red",
                "value": 2
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "thresholds"
          },
          "decimals": 0
        },
        "overrides": []
      },
      "gridPos": {
        "h": 8,
        "w": 6,
        "x": 0,
        "y": 68
      },
      "id": 29,
      "options": {
        "colorMode": "value",
        "graphMode": "none",
        "justifyMode": "auto",
        "orientation": "auto",
        "reduceOptions": {
          "calcs": [
            "lastNotNull"
          ],
          "fields": "",
          "values": false
        },
        "textMode": "auto",
        "wideLayout": true
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "sum(org_team:tokenwarden_cost:rate1h{currency=\"$currency\", org=~\"$org\", team=~\"$team\"}) / sum(org_team:tokenwarden_cost:rate1d{currency=\"$currency\", org=~\"$org\", team=~\"$team\"}) - 1",
          "legendFormat": "__auto",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Trend: last hour vs last 24 hours",
      "type": "stat"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Each model's spend over the trailing hour, per hour (recorded: provider_model:tokenwarden_cost:rate1h).",
      "fieldConfig": {
        "defaults": {
          "unit": "@@CURRENCY_UNIT@@",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "palette-classic"
          },
          "decimals": 2,
          "custom": {
            "drawStyle": "line",
            "lineWidth": 1,
            "fillOpacity": 10,
            "showPoints": "never",
            "spanNulls": false,
            "stacking": {
              "mode": "none",
              "group": "A"
            },
            "thresholdsStyle": {
              "mode": "off"
            }
          }
        },
        "overrides": []
      },
      "gridPos": {
        "h": 8,
        "w": 18,
        "x": 6,
        "y": 68
      },
      "id": 30,
      "options": {
        "legend": {
          "calcs": [
            "lastNotNull"
          ],
          "displayMode": "table",
          "placement": "right",
          "showLegend": true
        },
        "tooltip": {
          "mode": "multi",
          "sort": "desc"
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "provider_model:tokenwarden_cost:rate1h{currency=\"$currency\", model=~\"$model\"} * 3600",
          "legendFormat": "{{model}}",
          "refId": "A",
          "instant": false,
          "range": true
        }
      ],
      "title": "Spend rate by model (per hour)",
      "type": "timeseries"
    }
  ],
  "refresh": "1m",
  "schemaVersion": 39,
  "tags": [
    "tokenwarden"
  ],
  "templating": {
    "list": [
      {
        "current": {},
        "hide": 0,
        "includeAll": false,
        "label": "Data source",
        "multi": false,
        "name": "DS_PROMETHEUS",
        "options": [],
        "query": "prometheus",
        "refresh": 1,
        "regex": "",
        "skipUrlSync": false,
        "type": "datasource"
      },
      {
        "current": {
          "selected": true,
          "text": "@@CURRENCY@@",
          "value": "@@CURRENCY@@"
        },
        "datasource": {
          "type": "prometheus",
          "uid": "${DS_PROMETHEUS}"
        },
        "definition": "label_values(tokenwarden_cost_total, currency)",
        "hide": 0,
        "includeAll": false,
        "label": "Currency",
        "multi": false,
        "name": "currency",
        "options": [],
        "query": {
          "qryType": 1,
          "query": "label_values(tokenwarden_cost_total, currency)",
          "refId": "PrometheusVariableQueryEditor-VariableQuery"
        },
        "refresh": 2,
        "regex": "",
        "skipUrlSync": false,
        "sort": 1,
        "type": "query"
      },
      {
        "current": {
          "selected": true,
          "text": [
            "All"
          ],
          "value": [
            "$__all"
          ]
        },
        "datasource": {
          "type": "prometheus",
          "uid": "${DS_PROMETHEUS}"
        },
        "definition": "label_values(tokenwarden_cost_total, org)",
        "hide": 0,
        "includeAll": true,
        "label": "Org",
        "multi": true,
        "name": "org",
        "options": [],
        "query": {
          "qryType": 1,
          "query": "label_values(tokenwarden_cost_total, org)",
          "refId": "PrometheusVariableQueryEditor-VariableQuery"
        },
        "refresh": 2,
        "regex": "",
        "skipUrlSync": false,
        "sort": 1,
        "type": "query",
        "allValue": ".*"
      },
      {
        "current": {
          "selected": true,
          "text": [
            "All"
          ],
          "value": [
            "$__all"
          ]
        },
        "datasource": {
          "type": "prometheus",
          "uid": "${DS_PROMETHEUS}"
        },
        "definition": "label_values(tokenwarden_cost_total{org=~\"$org\"}, team)",
        "hide": 0,
        "includeAll": true,
        "label": "Team",
        "multi": true,
        "name": "team",
        "options": [],
        "query": {
          "qryType": 1,
          "query": "label_values(tokenwarden_cost_total{org=~\"$org\"}, team)",
          "refId": "PrometheusVariableQueryEditor-VariableQuery"
        },
        "refresh": 2,
        "regex": "",
        "skipUrlSync": false,
        "sort": 1,
        "type": "query",
        "allValue": ".*"
      },
      {
        "current": {
          "selected": true,
          "text": [
            "All"
          ],
          "value": [
            "$__all"
          ]
        },
        "datasource": {
          "type": "prometheus",
          "uid": "${DS_PROMETHEUS}"
        },
        "definition": "label_values(tokenwarden_cost_total{org=~\"$org\", team=~\"$team\"}, project)",
        "hide": 0,
        "includeAll": true,
        "label": "Project",
        "multi": true,
        "name": "project",
        "options": [],
        "query": {
          "qryType": 1,
          "query": "label_values(tokenwarden_cost_total{org=~\"$org\", team=~\"$team\"}, project)",
          "refId": "PrometheusVariableQueryEditor-VariableQuery"
        },
        "refresh": 2,
        "regex": "",
        "skipUrlSync": false,
        "sort": 1,
        "type": "query",
        "allValue": ".*"
      },
      {
        "current": {
          "selected": true,
          "text": [
            "All"
          ],
          "value": [
            "$__all"
          ]
        },
        "datasource": {
          "type": "prometheus",
          "uid": "${DS_PROMETHEUS}"
        },
        "definition": "label_values(tokenwarden_cost_total, model)",
        "hide": 0,
        "includeAll": true,
        "label": "Model",
        "multi": true,
        "name": "model",
        "options": [],
        "query": {
          "qryType": 1,
          "query": "label_values(tokenwarden_cost_total, model)",
          "refId": "PrometheusVariableQueryEditor-VariableQuery"
        },
        "refresh": 2,
        "regex": "",
        "skipUrlSync": false,
        "sort": 1,
        "type": "query",
        "allValue": ".*"
      },
      {
        "current": {
          "selected": true,
          "text": [
            "All"
          ],
          "value": [
            "$__all"
          ]
        },
        "datasource": {
          "type": "prometheus",
          "uid": "${DS_PROMETHEUS}"
        },
        "definition": "label_values(tokenwarden_cost_total{org=~\"$org\", team=~\"$team\"}, agent)",
        "hide": 0,
        "includeAll": true,
        "label": "Agent",
        "multi": true,
        "name": "agent",
        "options": [],
        "query": {
          "qryType": 1,
          "query": "label_values(tokenwarden_cost_total{org=~\"$org\", team=~\"$team\"}, agent)",
          "refId": "PrometheusVariableQueryEditor-VariableQuery"
        },
        "refresh": 2,
        "regex": "",
        "skipUrlSync": false,
        "sort": 1,
        "type": "query",
        "allValue": ".*"
      },
      {
        "current": {
          "selected": false,
          "text": "UTC",
          "value": "UTC"
        },
        "datasource": {
          "type": "prometheus",
          "uid": "${DS_PROMETHEUS}"
        },
        "definition": "label_values(tokenwarden_reporting_info, timezone)",
        "description": "The reporting time zone (reporting.timezone in tokenwarden.yaml) that today and this month are counted in.",
        "hide": 2,
        "includeAll": false,
        "label": "Reporting time zone",
        "multi": false,
        "name": "timezone",
        "options": [],
        "query": {
          "qryType": 1,
          "query": "label_values(tokenwarden_reporting_info, timezone)",
          "refId": "PrometheusVariableQueryEditor-VariableQuery"
        },
        "refresh": 2,
        "regex": "",
        "skipUrlSync": false,
        "sort": 1,
        "type": "query"
      }
    ]
  },
  "time": {
    "from": "now-24h",
    "to": "now"
  },
  "timepicker": {},
  "timezone": "",
  "title": "TokenWarden / Spend overview",
  "uid": "tokenwarden-spend",
  "version": 1,
  "weekStart": ""
}
"""##)
}
