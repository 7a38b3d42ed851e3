// The source of `Dashboards/grafana/tokenwarden-budgets.json`: `tokenwarden dashboards render` writes that file from it
// (`make dashboards` for the shipped defaults). Edit here, then render; a test keeps the two equal.
// Markers: @@CURRENCY@@, @@CURRENCY_UNIT@@ (Grafana's unit for it), @@RUNBOOK_BASE@@, @@EXTRA_KEY_LEGENDS@@ (after
// {{environment}} in every legend that lists the attribution keys: ` {{key}}` per attribution.extra_keys entry).

extension DashboardTemplate {
    /// The *Budgets and enforcement* Grafana dashboard.
    static let grafanaBudgets = DashboardTemplate(path: "grafana/tokenwarden-budgets.json", text: ##"""
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
      "id": "state-timeline",
      "name": "State timeline",
      "version": ""
    },
    {
      "type": "panel",
      "id": "table",
      "name": "Table",
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
  "description": "Budget usage against the ladder, reservations, period end and forecast, and what the rule engine decided.",
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
      "title": "Usage",
      "type": "row"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Used ÷ limit per budget instance (the higher of its money and token ratios). Colours follow the ladder: notify 50%, warn 80%, throttle 100%, deny 120% (the shipped team ladder; each budget's own ladder is in its rule file).",
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
                "color": "orange",
                "value": 0.8
              },
              {
                "color": "red",
                "value": 1.0
              },
              {
                "color": "dark-red",
                "value": 1.2
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "thresholds"
          },
          "decimals": 1,
          "min": 0,
          "max": 1.5
        },
        "overrides": []
      },
      "gridPos": {
        "h": 10,
        "w": 12,
        "x": 0,
        "y": 1
      },
      "id": 2,
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
          "expr": "sort_desc(max without (unit) (tokenwarden_budget_usage_ratio{budget=~\"$budget\", org=~\"$org\", team=~\"$team\", project=~\"$project\", agent=~\"$agent\"}))",
          "legendFormat": "{{budget}} {{org}} {{team}} {{project}} {{agent}} {{user}} {{session}} {{feature}} {{environment}}@@EXTRA_KEY_LEGENDS@@",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Budget usage",
      "type": "bargauge"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "The threshold step each budget instance is on (none, notify, warn, throttle, deny).",
      "fieldConfig": {
        "defaults": {
          "unit": "none",
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
          }
        },
        "overrides": [
          {
            "matcher": {
              "id": "byName",
              "options": "step"
            },
            "properties": [
              {
                "id": "mappings",
                "value": [
                  {
                    "type": "value",
                    "options": {
                      "none": {
                        "color": "green",
                        "index": 0
                      },
                      "notify": {
                        "color": "blue",
                        "index": 1
                      },
                      "warn": {
                        "color": "yellow",
                        "index": 2
                      },
                      "throttle": {
                        "color": "orange",
                        "index": 3
                      },
                      "deny": {
                        "color": "red",
                        "index": 4
                      }
                    }
                  }
                ]
              },
              {
                "id": "custom.cellOptions",
                "value": {
                  "type": "color-background"
                }
              }
            ]
          }
        ]
      },
      "gridPos": {
        "h": 10,
        "w": 12,
        "x": 12,
        "y": 1
      },
      "id": 3,
      "options": {
        "cellHeight": "sm",
        "footer": {
          "show": false,
          "reducer": [
            "sum"
          ],
          "countRows": false,
          "fields": ""
        },
        "showHeader": true
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "tokenwarden_budget_step{budget=~\"$budget\", org=~\"$org\", team=~\"$team\", project=~\"$project\", agent=~\"$agent\"} == 1",
          "legendFormat": "__auto",
          "refId": "A",
          "instant": true,
          "range": false,
          "format": "table"
        }
      ],
      "title": "Active step",
      "type": "table",
      "transformations": [
        {
          "id": "organize",
          "options": {
            "excludeByName": {
              "Time": true,
              "Value": true,
              "__name__": true
            },
            "indexByName": {},
            "renameByName": {}
          }
        }
      ]
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Used ÷ limit over time; dashed lines mark the ladder.",
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
                "color": "orange",
                "value": 0.8
              },
              {
                "color": "red",
                "value": 1.0
              },
              {
                "color": "dark-red",
                "value": 1.2
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "palette-classic"
          },
          "min": 0,
          "custom": {
            "drawStyle": "line",
            "lineWidth": 1,
            "fillOpacity": 0,
            "showPoints": "never",
            "spanNulls": false,
            "stacking": {
              "mode": "none",
              "group": "A"
            },
            "thresholdsStyle": {
              "mode": "dashed"
            }
          }
        },
        "overrides": []
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 0,
        "y": 11
      },
      "id": 4,
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
          "expr": "max without (unit) (tokenwarden_budget_usage_ratio{budget=~\"$budget\", org=~\"$org\", team=~\"$team\", project=~\"$project\", agent=~\"$agent\"})",
          "legendFormat": "{{budget}} {{org}} {{team}} {{project}} {{agent}} {{user}} {{session}} {{feature}} {{environment}}@@EXTRA_KEY_LEGENDS@@",
          "refId": "A",
          "instant": false,
          "range": true
        }
      ],
      "title": "Usage ratio over time",
      "type": "timeseries"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Which step each budget instance was on over time (none when no step applies).",
      "fieldConfig": {
        "defaults": {
          "unit": "none",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              },
              {
                "color": "blue",
                "value": 1
              },
              {
                "color": "yellow",
                "value": 2
              },
              {
                "color": "orange",
                "value": 3
              },
              {
                "color": "red",
                "value": 4
              }
            ]
          },
          "mappings": [
            {
              "type": "value",
              "options": {
                "0": {
                  "text": "none",
                  "color": "green",
                  "index": 0
                },
                "1": {
                  "text": "notify",
                  "color": "blue",
                  "index": 1
                },
                "2": {
                  "text": "warn",
                  "color": "yellow",
                  "index": 2
                },
                "3": {
                  "text": "throttle",
                  "color": "orange",
                  "index": 3
                },
                "4": {
                  "text": "deny",
                  "color": "red",
                  "index": 4
                }
              }
            }
          ],
          "color": {
            "mode": "palette-classic"
          },
          "custom": {
            "fillOpacity": 80,
            "lineWidth": 0,
            "hideFrom": {
              "legend": false,
              "tooltip": false,
              "viz": false
            }
          }
        },
        "overrides": []
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 12,
        "y": 11
      },
      "id": 5,
      "options": {
        "alignValue": "left",
        "mergeValues": true,
        "rowHeight": 0.9,
        "showValue": "auto",
        "legend": {
          "displayMode": "list",
          "placement": "bottom",
          "showLegend": true
        },
        "tooltip": {
          "mode": "single",
          "sort": "none"
        }
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "max without (step) ((tokenwarden_budget_step{step=\"notify\", budget=~\"$budget\", org=~\"$org\", team=~\"$team\", project=~\"$project\", agent=~\"$agent\"} == bool 1) * 1 or (tokenwarden_budget_step{step=\"warn\", budget=~\"$budget\", org=~\"$org\", team=~\"$team\", project=~\"$project\", agent=~\"$agent\"} == bool 1) * 2 or (tokenwarden_budget_step{step=\"throttle\", budget=~\"$budget\", org=~\"$org\", team=~\"$team\", project=~\"$project\", agent=~\"$agent\"} == bool 1) * 3 or (tokenwarden_budget_step{step=\"deny\", budget=~\"$budget\", org=~\"$org\", team=~\"$team\", project=~\"$project\", agent=~\"$agent\"} == bool 1) * 4)",
          "legendFormat": "{{budget}} {{org}} {{team}} {{project}} {{agent}} {{user}} {{session}} {{feature}} {{environment}}@@EXTRA_KEY_LEGENDS@@",
          "refId": "A",
          "instant": false,
          "range": true
        }
      ],
      "title": "Active step over time",
      "type": "state-timeline"
    },
    {
      "collapsed": false,
      "gridPos": {
        "h": 1,
        "w": 24,
        "x": 0,
        "y": 19
      },
      "id": 6,
      "panels": [],
      "title": "Used, reserved and limit",
      "type": "row"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Committed usage, usage reserved by allowed checks not yet committed, and the limit (rollover included) of money budgets.",
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
        "y": 20
      },
      "id": 7,
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
          "expr": "tokenwarden_budget_used{unit!=\"tokens\", budget=~\"$budget\", org=~\"$org\", team=~\"$team\", project=~\"$project\", agent=~\"$agent\"}",
          "legendFormat": "used {{budget}} {{org}} {{team}} {{project}} {{agent}} {{user}} {{session}} {{feature}} {{environment}}@@EXTRA_KEY_LEGENDS@@ ({{unit}})",
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
          "expr": "tokenwarden_budget_reserved{unit!=\"tokens\", budget=~\"$budget\", org=~\"$org\", team=~\"$team\", project=~\"$project\", agent=~\"$agent\"}",
          "legendFormat": "reserved {{budget}} {{org}} {{team}} {{project}} {{agent}} {{user}} {{session}} {{feature}} {{environment}}@@EXTRA_KEY_LEGENDS@@ ({{unit}})",
          "refId": "B",
          "instant": false,
          "range": true
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "tokenwarden_budget_limit{unit!=\"tokens\", budget=~\"$budget\", org=~\"$org\", team=~\"$team\", project=~\"$project\", agent=~\"$agent\"}",
          "legendFormat": "limit {{budget}} {{org}} {{team}} {{project}} {{agent}} {{user}} {{session}} {{feature}} {{environment}}@@EXTRA_KEY_LEGENDS@@ ({{unit}})",
          "refId": "C",
          "instant": false,
          "range": true
        }
      ],
      "title": "Money: used vs reserved vs limit",
      "type": "timeseries"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "The same for budgets limited in tokens.",
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
        "y": 20
      },
      "id": 8,
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
          "expr": "tokenwarden_budget_used{unit=\"tokens\", budget=~\"$budget\", org=~\"$org\", team=~\"$team\", project=~\"$project\", agent=~\"$agent\"}",
          "legendFormat": "used {{budget}} {{org}} {{team}} {{project}} {{agent}} {{user}} {{session}} {{feature}} {{environment}}@@EXTRA_KEY_LEGENDS@@",
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
          "expr": "tokenwarden_budget_reserved{unit=\"tokens\", budget=~\"$budget\", org=~\"$org\", team=~\"$team\", project=~\"$project\", agent=~\"$agent\"}",
          "legendFormat": "reserved {{budget}} {{org}} {{team}} {{project}} {{agent}} {{user}} {{session}} {{feature}} {{environment}}@@EXTRA_KEY_LEGENDS@@",
          "refId": "B",
          "instant": false,
          "range": true
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "tokenwarden_budget_limit{unit=\"tokens\", budget=~\"$budget\", org=~\"$org\", team=~\"$team\", project=~\"$project\", agent=~\"$agent\"}",
          "legendFormat": "limit {{budget}} {{org}} {{team}} {{project}} {{agent}} {{user}} {{session}} {{feature}} {{environment}}@@EXTRA_KEY_LEGENDS@@",
          "refId": "C",
          "instant": false,
          "range": true
        }
      ],
      "title": "Tokens: used vs reserved vs limit",
      "type": "timeseries"
    },
    {
      "collapsed": false,
      "gridPos": {
        "h": 1,
        "w": 24,
        "x": 0,
        "y": 28
      },
      "id": 9,
      "panels": [],
      "title": "Period end and forecast",
      "type": "row"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "When each budget's current calendar period ends, and the time left (rolling and total budgets have no end).",
      "fieldConfig": {
        "defaults": {
          "unit": "dateTimeAsIso",
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
          }
        },
        "overrides": [
          {
            "matcher": {
              "id": "byName",
              "options": "Value #B"
            },
            "properties": [
              {
                "id": "unit",
                "value": "s"
              },
              {
                "id": "displayName",
                "value": "time left"
              }
            ]
          },
          {
            "matcher": {
              "id": "byName",
              "options": "Value #A"
            },
            "properties": [
              {
                "id": "displayName",
                "value": "period ends"
              }
            ]
          }
        ]
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 0,
        "y": 29
      },
      "id": 10,
      "options": {
        "cellHeight": "sm",
        "footer": {
          "show": false,
          "reducer": [
            "sum"
          ],
          "countRows": false,
          "fields": ""
        },
        "showHeader": true
      },
      "targets": [
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "tokenwarden_budget_period_end_timestamp_seconds{budget=~\"$budget\", org=~\"$org\", team=~\"$team\", project=~\"$project\", agent=~\"$agent\"} * 1000",
          "legendFormat": "ends",
          "refId": "A",
          "instant": true,
          "range": false,
          "format": "table"
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "tokenwarden_budget_period_end_timestamp_seconds{budget=~\"$budget\", org=~\"$org\", team=~\"$team\", project=~\"$project\", agent=~\"$agent\"} - time()",
          "legendFormat": "left",
          "refId": "B",
          "instant": true,
          "range": false,
          "format": "table"
        }
      ],
      "title": "Period end",
      "type": "table",
      "transformations": [
        {
          "id": "merge",
          "options": {}
        },
        {
          "id": "organize",
          "options": {
            "excludeByName": {
              "Time": true,
              "__name__": true
            },
            "indexByName": {},
            "renameByName": {}
          }
        }
      ]
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Where each budget's usage ratio will be when its period ends if it keeps the pace of the last 6 hours (recorded: budget:tokenwarden_budget_usage_ratio:forecast_period_end).",
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
                "color": "orange",
                "value": 0.8
              },
              {
                "color": "red",
                "value": 1.0
              },
              {
                "color": "dark-red",
                "value": 1.2
              }
            ]
          },
          "mappings": [],
          "color": {
            "mode": "thresholds"
          },
          "decimals": 0,
          "min": 0,
          "max": 1.5
        },
        "overrides": []
      },
      "gridPos": {
        "h": 8,
        "w": 12,
        "x": 12,
        "y": 29
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
          "expr": "sort_desc(budget:tokenwarden_budget_usage_ratio:forecast_period_end{budget=~\"$budget\", org=~\"$org\", team=~\"$team\", project=~\"$project\", agent=~\"$agent\"})",
          "legendFormat": "{{budget}} {{org}} {{team}} {{project}} {{agent}} {{user}} {{session}} {{feature}} {{environment}}@@EXTRA_KEY_LEGENDS@@",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Forecast usage at period end",
      "type": "bargauge"
    },
    {
      "collapsed": false,
      "gridPos": {
        "h": 1,
        "w": 24,
        "x": 0,
        "y": 37
      },
      "id": 12,
      "panels": [],
      "title": "Enforcement",
      "type": "row"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Pre-flight checks per second by decision and by the kind of rule that decided (none: no rule objected).",
      "fieldConfig": {
        "defaults": {
          "unit": "reqps",
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
            "fillOpacity": 30,
            "showPoints": "never",
            "spanNulls": false,
            "stacking": {
              "mode": "normal",
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
        "y": 38
      },
      "id": 13,
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
          "expr": "sum by (decision, kind) (rate(tokenwarden_decisions_total[$__rate_interval]))",
          "legendFormat": "{{decision}} ({{kind}})",
          "refId": "A",
          "instant": false,
          "range": true
        }
      ],
      "title": "Decisions by kind",
      "type": "timeseries"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Checks in the time range that a rule warned, throttled, denied or sent for approval.",
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
        "w": 12,
        "x": 12,
        "y": 38
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
          "expr": "sort_desc(sum by (decision, kind, rule) (increase(tokenwarden_decisions_total{decision!=\"allow\"}[$__range])))",
          "legendFormat": "{{rule}} ({{kind}}): {{decision}}",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Refusals and warnings by rule",
      "type": "bargauge"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Checks answered 429, by the budget or quota that throttled them, and what shadow quotas would have throttled.",
      "fieldConfig": {
        "defaults": {
          "unit": "reqps",
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
        "y": 46
      },
      "id": 15,
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
          "expr": "sum by (kind, rule) (rate(tokenwarden_decisions_total{decision=\"throttle\"}[$__rate_interval]))",
          "legendFormat": "{{rule}} ({{kind}})",
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
          "expr": "sum by (quota) (rate(tokenwarden_quota_throttled_total[$__rate_interval]))",
          "legendFormat": "quota {{quota}}",
          "refId": "B",
          "instant": false,
          "range": true
        },
        {
          "datasource": {
            "type": "prometheus",
            "uid": "${DS_PROMETHEUS}"
          },
          "editorMode": "code",
          "expr": "sum by (quota) (rate(tokenwarden_quota_shadow_throttled_total[$__rate_interval]))",
          "legendFormat": "quota {{quota}} (shadow: allowed)",
          "refId": "C",
          "instant": false,
          "range": true
        }
      ],
      "title": "Throttled requests",
      "type": "timeseries"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Checks a warn, require_approval or deny policy matched in the time range.",
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
        "w": 12,
        "x": 12,
        "y": 46
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
          "expr": "sort_desc(sum by (policy, action) (increase(tokenwarden_policy_violations_total[$__range])))",
          "legendFormat": "{{policy}}: {{action}}",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Policy violations",
      "type": "bargauge"
    },
    {
      "collapsed": false,
      "gridPos": {
        "h": 1,
        "w": 24,
        "x": 0,
        "y": 54
      },
      "id": 17,
      "panels": [],
      "title": "Rules and reservations",
      "type": "row"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Whether the last reload of the rule files succeeded (a failed reload keeps the previous rules).",
      "fieldConfig": {
        "defaults": {
          "unit": "none",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              }
            ]
          },
          "mappings": [
            {
              "type": "value",
              "options": {
                "0": {
                  "text": "FAILED",
                  "color": "red",
                  "index": 0
                },
                "1": {
                  "text": "OK",
                  "color": "green",
                  "index": 1
                }
              }
            }
          ],
          "color": {
            "mode": "thresholds"
          }
        },
        "overrides": []
      },
      "gridPos": {
        "h": 5,
        "w": 4,
        "x": 0,
        "y": 55
      },
      "id": 18,
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
          "expr": "min(tokenwarden_rules_last_reload_successful)",
          "legendFormat": "__auto",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Last rule reload",
      "type": "stat"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "",
      "fieldConfig": {
        "defaults": {
          "unit": "s",
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
        "x": 4,
        "y": 55
      },
      "id": 19,
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
          "expr": "time() - max(tokenwarden_rules_last_reload_success_timestamp_seconds)",
          "legendFormat": "__auto",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Since last successful reload",
      "type": "stat"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Budgets, quotas and policies in force.",
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
        "w": 6,
        "x": 8,
        "y": 55
      },
      "id": 20,
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
          "expr": "sum by (kind) (tokenwarden_rules_loaded)",
          "legendFormat": "{{kind}}",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Rules loaded",
      "type": "stat"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Reservations held by allowed checks, not yet committed, released or expired.",
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
        "x": 14,
        "y": 55
      },
      "id": 21,
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
          "expr": "sum(tokenwarden_reservations_active)",
          "legendFormat": "__auto",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Active reservations",
      "type": "stat"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Reservations in the time range that nobody claimed before their TTL.",
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
        "w": 3,
        "x": 18,
        "y": 55
      },
      "id": 22,
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
          "expr": "sum(increase(tokenwarden_reservations_expired_total[$__range]))",
          "legendFormat": "__auto",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Expired reservations",
      "type": "stat"
    },
    {
      "datasource": {
        "type": "prometheus",
        "uid": "${DS_PROMETHEUS}"
      },
      "description": "Checks answered 503 because reservations.max_active reservations were live (agents that check but never commit or release).",
      "fieldConfig": {
        "defaults": {
          "unit": "short",
          "thresholds": {
            "mode": "absolute",
            "steps": [
              {
                "color": "green",
                "value": null
              },
              {
                "color": "red",
                "value": 1
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
        "w": 3,
        "x": 21,
        "y": 55
      },
      "id": 23,
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
          "expr": "sum(increase(tokenwarden_reservations_refused_total[$__range]))",
          "legendFormat": "__auto",
          "refId": "A",
          "instant": true,
          "range": false
        }
      ],
      "title": "Refused checks",
      "type": "stat"
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
        "definition": "label_values(tokenwarden_budget_usage_ratio, budget)",
        "hide": 0,
        "includeAll": true,
        "label": "Budget",
        "multi": true,
        "name": "budget",
        "options": [],
        "query": {
          "qryType": 1,
          "query": "label_values(tokenwarden_budget_usage_ratio, budget)",
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
        "definition": "label_values(tokenwarden_budget_usage_ratio{budget=~\"$budget\"}, org)",
        "hide": 0,
        "includeAll": true,
        "label": "Org",
        "multi": true,
        "name": "org",
        "options": [],
        "query": {
          "qryType": 1,
          "query": "label_values(tokenwarden_budget_usage_ratio{budget=~\"$budget\"}, org)",
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
        "definition": "label_values(tokenwarden_budget_usage_ratio{budget=~\"$budget\", org=~\"$org\"}, team)",
        "hide": 0,
        "includeAll": true,
        "label": "Team",
        "multi": true,
        "name": "team",
        "options": [],
        "query": {
          "qryType": 1,
          "query": "label_values(tokenwarden_budget_usage_ratio{budget=~\"$budget\", org=~\"$org\"}, team)",
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
        "definition": "label_values(tokenwarden_budget_usage_ratio{budget=~\"$budget\", org=~\"$org\"}, project)",
        "hide": 0,
        "includeAll": true,
        "label": "Project",
        "multi": true,
        "name": "project",
        "options": [],
        "query": {
          "qryType": 1,
          "query": "label_values(tokenwarden_budget_usage_ratio{budget=~\"$budget\", org=~\"$org\"}, project)",
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
        "definition": "label_values(tokenwarden_budget_usage_ratio{budget=~\"$budget\", org=~\"$org\"}, agent)",
        "hide": 0,
        "includeAll": true,
        "label": "Agent",
        "multi": true,
        "name": "agent",
        "options": [],
        "query": {
          "qryType": 1,
          "query": "label_values(tokenwarden_budget_usage_ratio{budget=~\"$budget\", org=~\"$org\"}, agent)",
          "refId": "PrometheusVariableQueryEditor-VariableQuery"
        },
        "refresh": 2,
        "regex": "",
        "skipUrlSync": false,
        "sort": 1,
        "type": "query",
        "allValue": ".*"
      }
    ]
  },
  "time": {
    "from": "now-24h",
    "to": "now"
  },
  "timepicker": {},
  "timezone": "",
  "title": "TokenWarden / Budgets and enforcement",
  "uid": "tokenwarden-budgets",
  "version": 1,
  "weekStart": ""
}
"""##)
}
