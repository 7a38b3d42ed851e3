// Generated from docs/openapi.json by `make openapi`: edit that file, then run it.

/// The OpenAPI 3.1 description served at `GET /openapi.json`.
enum OpenAPIDocument {
    static let bytes: [UInt8] = Array(text.utf8)

    static let text = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "TokenWarden HTTP API",
    "version": "1",
    "description": "Exact LLM usage pricing, budgets, quotas and policies, pre-flight checks with reservations, and an audit log. Amounts of money are exact decimal strings, never JSON numbers. Every path also answers 404 `{\"error\"}` for an unknown path, 405 with `Allow` for a wrong method, 413 for a body over the limit and 431 for headers over http.max_header_bytes. Reference: docs/api.md.",
    "license": {
      "name": "See the repository"
    }
  },
  "servers": [
    {
      "url": "http://127.0.0.1:9473"
    }
  ],
  "tags": [
    {
      "name": "meta"
    },
    {
      "name": "usage"
    },
    {
      "name": "check"
    },
    {
      "name": "read"
    },
    {
      "name": "admin"
    },
    {
      "name": "governance"
    },
    {
      "name": "integrations"
    }
  ],
  "security": [
    {
      "bearerAuth": []
    },
    {
      "basicAuth": []
    },
    {}
  ],
  "paths": {
    "/openapi.json": {
      "get": {
        "summary": "This description",
        "description": "The OpenAPI 3.1 description of the HTTP API. Never needs credentials.",
        "operationId": "getOpenAPI",
        "tags": [
          "meta"
        ],
        "responses": {
          "200": {
            "description": "The OpenAPI document.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          }
        },
        "security": []
      }
    },
    "/-/healthy": {
      "get": {
        "summary": "Liveness",
        "description": "200 as soon as the process serves HTTP. Never needs credentials.",
        "operationId": "getHealthy",
        "tags": [
          "meta"
        ],
        "responses": {
          "200": {
            "description": "TokenWarden is Healthy.",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              }
            }
          }
        },
        "security": []
      }
    },
    "/-/ready": {
      "get": {
        "summary": "Readiness",
        "description": "200 once the ledger is restored; 503 before that, or for good once the database file was deleted or replaced under the running server. Never needs credentials.",
        "operationId": "getReady",
        "tags": [
          "meta"
        ],
        "responses": {
          "200": {
            "description": "TokenWarden is Ready.",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "503": {
            "description": "Not ready, with the reason.",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              }
            },
            "headers": {
              "Retry-After": {
                "$ref": "#/components/headers/Retry-After"
              }
            }
          }
        },
        "security": []
      }
    },
    "/": {
      "get": {
        "summary": "Spend page",
        "description": "Spend by team and model, budgets, overrides, approvals and sessions as HTML (read role).",
        "operationId": "getSpendPage",
        "tags": [
          "read"
        ],
        "responses": {
          "200": {
            "description": "The spend page.",
            "content": {
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/metrics": {
      "get": {
        "summary": "Prometheus metrics",
        "description": "Prometheus text 0.0.4, or OpenMetrics 1.0.0 when Accept asks for it; gzip when Accept-Encoding allows. An unscoped read key, or a user of the web configuration's basic_auth_users.",
        "operationId": "getMetrics",
        "tags": [
          "read"
        ],
        "responses": {
          "200": {
            "description": "The exposition.",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              },
              "application/openmetrics-text": {
                "schema": {
                  "description": "OpenMetrics 1.0.0 text"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "description": "Too many password checks waiting.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "headers": {
              "Retry-After": {
                "$ref": "#/components/headers/Retry-After"
              }
            }
          }
        }
      }
    },
    "/v1/usage": {
      "post": {
        "summary": "Record usage events",
        "description": "One event (an object), an array of events, or NDJSON (application/x-ndjson or application/ndjson). All-or-nothing per request; answered once durable. An event id already accepted is not counted again (`duplicate: true`, with the originally computed cost).",
        "operationId": "recordUsage",
        "tags": [
          "usage"
        ],
        "responses": {
          "200": {
            "description": "The result of every event, in the body's order.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UsageResults"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "413": {
            "$ref": "#/components/responses/TooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "422": {
            "description": "A model without a price (field `model`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FieldErrors"
                }
              }
            }
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "oneOf": [
                  {
                    "$ref": "#/components/schemas/UsageEvent"
                  },
                  {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/UsageEvent"
                    },
                    "minItems": 1
                  }
                ]
              }
            },
            "application/x-ndjson": {
              "schema": {
                "description": "One UsageEvent per line."
              }
            },
            "application/ndjson": {
              "schema": {
                "description": "One UsageEvent per line."
              }
            }
          }
        }
      },
      "get": {
        "summary": "Export usage (JSON)",
        "description": "The recorded events, oldest first, filtered and paged.",
        "operationId": "exportUsage",
        "tags": [
          "usage"
        ],
        "responses": {
          "200": {
            "description": "One page of events.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UsagePage"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/since"
          },
          {
            "$ref": "#/components/parameters/until"
          },
          {
            "$ref": "#/components/parameters/provider"
          },
          {
            "$ref": "#/components/parameters/model"
          },
          {
            "$ref": "#/components/parameters/limit"
          },
          {
            "$ref": "#/components/parameters/cursor"
          },
          {
            "$ref": "#/components/parameters/attribution"
          }
        ]
      }
    },
    "/v1/usage.csv": {
      "get": {
        "summary": "Export usage (CSV)",
        "description": "The same rows as CSV (RFC 4180), one column per attribution key.",
        "operationId": "exportUsageCSV",
        "tags": [
          "usage"
        ],
        "responses": {
          "200": {
            "description": "The CSV.",
            "content": {
              "text/csv": {
                "schema": {
                  "description": "The CSV."
                }
              }
            },
            "headers": {
              "X-Next-Cursor": {
                "$ref": "#/components/headers/X-Next-Cursor"
              },
              "Content-Disposition": {
                "$ref": "#/components/headers/Content-Disposition"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/since"
          },
          {
            "$ref": "#/components/parameters/until"
          },
          {
            "$ref": "#/components/parameters/provider"
          },
          {
            "$ref": "#/components/parameters/model"
          },
          {
            "$ref": "#/components/parameters/limit"
          },
          {
            "$ref": "#/components/parameters/cursor"
          },
          {
            "$ref": "#/components/parameters/attribution"
          }
        ]
      }
    },
    "/v1/usage.ndjson": {
      "get": {
        "summary": "Export usage (NDJSON)",
        "description": "The same rows as one usage event per line, in the shape `POST /v1/usage` accepts (so an export can be re-ingested or simulated), streamed.",
        "operationId": "exportUsageNDJSON",
        "tags": [
          "usage"
        ],
        "responses": {
          "200": {
            "description": "One event per line.",
            "content": {
              "application/x-ndjson": {
                "schema": {
                  "description": "Usage events, one JSON object per line."
                }
              }
            },
            "headers": {
              "X-Next-Cursor": {
                "$ref": "#/components/headers/X-Next-Cursor"
              },
              "Content-Disposition": {
                "$ref": "#/components/headers/Content-Disposition"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/since"
          },
          {
            "$ref": "#/components/parameters/until"
          },
          {
            "$ref": "#/components/parameters/provider"
          },
          {
            "$ref": "#/components/parameters/model"
          },
          {
            "$ref": "#/components/parameters/limit"
          },
          {
            "$ref": "#/components/parameters/cursor"
          },
          {
            "$ref": "#/components/parameters/attribution"
          }
        ]
      }
    },
    "/v1/check": {
      "post": {
        "summary": "Pre-flight check",
        "description": "Asks before an expensive call: the rule engine's decision, and a reservation of the estimate when allowed. 200 for allow and warn, 429 for throttle, 403 for deny and require_approval.",
        "operationId": "check",
        "tags": [
          "check"
        ],
        "responses": {
          "200": {
            "description": "allow or warn; the reservation holds the estimate.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CheckResponse"
                }
              }
            },
            "headers": {
              "RateLimit": {
                "$ref": "#/components/headers/RateLimit"
              },
              "RateLimit-Policy": {
                "$ref": "#/components/headers/RateLimit-Policy"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "description": "deny or require_approval (a check answer), a key without the role or outside its scope, or an unusable approval_id.",
            "content": {
              "application/json": {
                "schema": {
                  "anyOf": [
                    {
                      "$ref": "#/components/schemas/CheckResponse"
                    },
                    {
                      "$ref": "#/components/schemas/ErrorBody"
                    }
                  ]
                }
              }
            },
            "headers": {
              "RateLimit": {
                "$ref": "#/components/headers/RateLimit"
              },
              "RateLimit-Policy": {
                "$ref": "#/components/headers/RateLimit-Policy"
              }
            }
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "422": {
            "description": "A model no pricing file prices, and no estimated_cost.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "description": "throttle: retry after Retry-After.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CheckResponse"
                }
              }
            },
            "headers": {
              "Retry-After": {
                "$ref": "#/components/headers/Retry-After"
              },
              "RateLimit": {
                "$ref": "#/components/headers/RateLimit"
              },
              "RateLimit-Policy": {
                "$ref": "#/components/headers/RateLimit-Policy"
              }
            }
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CheckRequest"
              }
            }
          }
        }
      }
    },
    "/v1/reservations/{id}": {
      "delete": {
        "summary": "Release a reservation",
        "description": "The caller will not make the call it checked for: the reservation is released now.",
        "operationId": "releaseReservation",
        "tags": [
          "check"
        ],
        "responses": {
          "204": {
            "description": "Released."
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/v1/audit": {
      "get": {
        "summary": "Export the audit log (JSON)",
        "description": "Audit rows, oldest first, filtered and paged.",
        "operationId": "exportAudit",
        "tags": [
          "read"
        ],
        "responses": {
          "200": {
            "description": "One page of rows.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuditPage"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/since"
          },
          {
            "$ref": "#/components/parameters/until"
          },
          {
            "$ref": "#/components/parameters/rule"
          },
          {
            "$ref": "#/components/parameters/kind"
          },
          {
            "$ref": "#/components/parameters/action"
          },
          {
            "$ref": "#/components/parameters/limit"
          },
          {
            "$ref": "#/components/parameters/cursor"
          }
        ]
      }
    },
    "/v1/audit.csv": {
      "get": {
        "summary": "Export the audit log (CSV)",
        "description": "The same rows as CSV.",
        "operationId": "exportAuditCSV",
        "tags": [
          "read"
        ],
        "responses": {
          "200": {
            "description": "The CSV.",
            "content": {
              "text/csv": {
                "schema": {
                  "description": "The CSV."
                }
              }
            },
            "headers": {
              "X-Next-Cursor": {
                "$ref": "#/components/headers/X-Next-Cursor"
              },
              "Content-Disposition": {
                "$ref": "#/components/headers/Content-Disposition"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/since"
          },
          {
            "$ref": "#/components/parameters/until"
          },
          {
            "$ref": "#/components/parameters/rule"
          },
          {
            "$ref": "#/components/parameters/kind"
          },
          {
            "$ref": "#/components/parameters/action"
          },
          {
            "$ref": "#/components/parameters/limit"
          },
          {
            "$ref": "#/components/parameters/cursor"
          }
        ]
      }
    },
    "/v1/budgets": {
      "get": {
        "summary": "Budget status",
        "description": "Each budget instance's window, limits, usage, reservations and step.",
        "operationId": "listBudgets",
        "tags": [
          "read"
        ],
        "responses": {
          "200": {
            "description": "One page of budget instances.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/BudgetStatusPage"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/limit"
          },
          {
            "$ref": "#/components/parameters/cursor"
          },
          {
            "$ref": "#/components/parameters/attribution"
          }
        ]
      }
    },
    "/v1/budgets/{name}": {
      "get": {
        "summary": "One budget's status",
        "description": "The instances of one budget.",
        "operationId": "getBudget",
        "tags": [
          "read"
        ],
        "responses": {
          "200": {
            "description": "One page of the budget's instances.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/BudgetStatusPage"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          }
        },
        "parameters": [
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "$ref": "#/components/parameters/limit"
          },
          {
            "$ref": "#/components/parameters/cursor"
          },
          {
            "$ref": "#/components/parameters/attribution"
          }
        ]
      }
    },
    "/-/reload": {
      "post": {
        "summary": "Reload the pricing and rule files",
        "description": "As SIGHUP: every pricing file and rule file is validated before any takes effect; a failure keeps the prices and rules in force. Each ingest request is priced by one whole catalog, the one before or the one after.",
        "operationId": "reload",
        "tags": [
          "admin"
        ],
        "responses": {
          "200": {
            "description": "Reloaded.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ReloadResult"
                }
              }
            }
          },
          "400": {
            "description": "The rules in force stay; every error as file:line:col.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ReloadFailure"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/v1/keys": {
      "post": {
        "summary": "Create an API key",
        "description": "The key's secret is shown only in this answer.",
        "operationId": "createKey",
        "tags": [
          "admin"
        ],
        "responses": {
          "201": {
            "description": "The new key.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CreatedKey"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          }
        },
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/KeyRequest"
              }
            }
          }
        }
      },
      "get": {
        "summary": "List API keys",
        "description": "One entry per secret, never a secret; ?all=true lists revoked and expired ones too.",
        "operationId": "listKeys",
        "tags": [
          "admin"
        ],
        "responses": {
          "200": {
            "description": "The keys.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/KeyList"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        },
        "parameters": [
          {
            "name": "all",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "true",
                "false"
              ]
            }
          }
        ]
      }
    },
    "/v1/keys/{name}/rotate": {
      "post": {
        "summary": "Rotate an API key",
        "description": "A new secret with the key's roles and scope; the old one works for the grace period (default 24h).",
        "operationId": "rotateKey",
        "tags": [
          "admin"
        ],
        "responses": {
          "201": {
            "description": "The new secret, and the secrets it replaces.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CreatedKey"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          }
        },
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "properties": {
                  "grace": {
                    "type": "string"
                  }
                },
                "additionalProperties": false
              }
            }
          }
        },
        "parameters": [
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/v1/keys/{name}/revoke": {
      "post": {
        "summary": "Revoke an API key",
        "description": "Every secret of the key (or only the one named by id) stops working at once.",
        "operationId": "revokeKey",
        "tags": [
          "admin"
        ],
        "responses": {
          "200": {
            "description": "The ids revoked.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RevokedKeys"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          }
        },
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "properties": {
                  "id": {
                    "type": "string"
                  }
                },
                "additionalProperties": false
              }
            }
          }
        },
        "parameters": [
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/v1/overrides": {
      "post": {
        "summary": "Request a budget override",
        "description": "Takes effect once a second key approves it.",
        "operationId": "requestOverride",
        "tags": [
          "governance"
        ],
        "responses": {
          "201": {
            "description": "The override, pending (or active when auto-approved).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Override"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          }
        },
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/OverrideRequest"
              }
            }
          }
        }
      },
      "get": {
        "summary": "List overrides",
        "description": "Oldest first.",
        "operationId": "listOverrides",
        "tags": [
          "governance"
        ],
        "responses": {
          "200": {
            "description": "The overrides.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OverrideList"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          }
        },
        "parameters": [
          {
            "name": "status",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "pending",
                "active",
                "expired",
                "rejected",
                "revoked"
              ]
            }
          },
          {
            "name": "budget",
            "in": "query",
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/v1/overrides/{id}/approve": {
      "post": {
        "summary": "Approve an override",
        "description": "POST /v1/overrides/{id}/approve.",
        "operationId": "approveOverride",
        "tags": [
          "governance"
        ],
        "responses": {
          "200": {
            "description": "The override.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Override"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/v1/overrides/{id}/reject": {
      "post": {
        "summary": "Reject an override",
        "description": "POST /v1/overrides/{id}/reject.",
        "operationId": "rejectOverride",
        "tags": [
          "governance"
        ],
        "responses": {
          "200": {
            "description": "The override.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Override"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/v1/overrides/{id}/revoke": {
      "post": {
        "summary": "Revoke an override",
        "description": "POST /v1/overrides/{id}/revoke.",
        "operationId": "revokeOverride",
        "tags": [
          "governance"
        ],
        "responses": {
          "200": {
            "description": "The override.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Override"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/v1/approvals": {
      "get": {
        "summary": "List approval requests",
        "description": "Oldest first.",
        "operationId": "listApprovals",
        "tags": [
          "governance"
        ],
        "responses": {
          "200": {
            "description": "The approvals.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApprovalList"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          }
        },
        "parameters": [
          {
            "name": "status",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "pending",
                "approved",
                "rejected",
                "expired",
                "used"
              ]
            }
          }
        ]
      }
    },
    "/v1/approvals/{id}/approve": {
      "post": {
        "summary": "Approve an approval request",
        "description": "With an optional body: how many retries it allows and for how long.",
        "operationId": "approveApproval",
        "tags": [
          "governance"
        ],
        "responses": {
          "200": {
            "description": "The approval.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Approval"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          }
        },
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ApprovalDecision"
              }
            }
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/v1/approvals/{id}/reject": {
      "post": {
        "summary": "Reject an approval request",
        "description": "A pending one.",
        "operationId": "rejectApproval",
        "tags": [
          "governance"
        ],
        "responses": {
          "200": {
            "description": "The approval.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Approval"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          }
        },
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/v1/integrations/litellm": {
      "post": {
        "summary": "LiteLLM standard logging payloads",
        "description": "What LiteLLM proxy's generic API callback sends: one StandardLoggingPayload (a JSON object), an array of them, or NDJSON. All-or-nothing per request, like POST /v1/usage. Each payload becomes a usage event with id `litellm:<payload id>`, priced from the catalog (LiteLLM's own cost is kept for comparison only).",
        "operationId": "ingestLiteLLM",
        "tags": [
          "integrations"
        ],
        "responses": {
          "200": {
            "description": "The result of every payload, in the body's order.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UsageResults"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "413": {
            "$ref": "#/components/responses/TooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "422": {
            "description": "A model without a price.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FieldErrors"
                }
              }
            }
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "oneOf": [
                  {
                    "type": "object",
                    "description": "LiteLLM's StandardLoggingPayload."
                  },
                  {
                    "type": "array",
                    "items": {
                      "type": "object"
                    }
                  }
                ]
              }
            },
            "application/x-ndjson": {
              "schema": {
                "description": "One StandardLoggingPayload per line."
              }
            }
          }
        }
      }
    },
    "/v1/traces": {
      "post": {
        "summary": "OTLP/HTTP trace export (GenAI spans)",
        "description": "An OTLP ExportTraceServiceRequest, as protobuf or JSON (answered in the request's type), optionally gzip-compressed. Every span with GenAI usage attributes becomes a usage event with id `otlp:<trace id>-<span id>`; other spans are ignored.",
        "operationId": "ingestOTLPTraces",
        "tags": [
          "integrations"
        ],
        "responses": {
          "200": {
            "description": "Every span taken, or OTLP's partial success naming each rejected span.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OTLPPartialSuccess"
                }
              },
              "application/x-protobuf": {
                "schema": {
                  "description": "ExportTraceServiceResponse"
                }
              }
            }
          },
          "400": {
            "description": "A body that is not an ExportTraceServiceRequest.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ErrorBody"
                }
              },
              "application/x-protobuf": {
                "schema": {
                  "description": "ExportTraceServiceResponse"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "413": {
            "$ref": "#/components/responses/TooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "requestBody": {
          "required": true,
          "content": {
            "application/x-protobuf": {
              "schema": {
                "description": "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest"
              }
            },
            "application/json": {
              "schema": {
                "type": "object",
                "description": "ExportTraceServiceRequest in OTLP's JSON encoding."
              }
            }
          }
        },
        "parameters": [
          {
            "name": "Content-Encoding",
            "in": "header",
            "schema": {
              "type": "string",
              "enum": [
                "gzip",
                "identity"
              ]
            }
          }
        ]
      }
    }
  },
  "components": {
    "securitySchemes": {
      "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "tw_<id>_<secret>",
        "description": "An API key. Needed once a key exists (auth: auto) or always (auth: required); each path needs a role."
      },
      "basicAuth": {
        "type": "http",
        "scheme": "basic",
        "description": "GET and HEAD only: the key's name as user and the key (or its secret) as password; on /metrics also a user of basic_auth_users."
      }
    },
    "schemas": {
      "Attribution": {
        "type": "object",
        "description": "Attribution labels: org, team, project, user, agent, session, feature, environment, plus the keys declared in attribution.extra_keys. Values are text of 1 to 256 bytes.",
        "additionalProperties": {
          "type": "string",
          "minLength": 1
        }
      },
      "TokenCount": {
        "type": "number",
        "minimum": 0,
        "maximum": 1000000000000.0,
        "description": "A whole number of tokens (1000, 1e3 and 1000.0 are the same count; a fraction is refused)."
      },
      "Error": {
        "type": "object",
        "properties": {
          "error": {
            "type": "string"
          },
          "missing_role": {
            "type": "string",
            "enum": [
              "ingest",
              "check",
              "read",
              "approver",
              "admin"
            ]
          },
          "retry_after_seconds": {
            "type": "integer",
            "minimum": 0
          },
          "offset": {
            "type": "integer",
            "minimum": 0
          },
          "line": {
            "type": "integer",
            "minimum": 0
          },
          "field": {
            "type": "string"
          }
        },
        "additionalProperties": false,
        "required": [
          "error"
        ],
        "description": "A request refused as a whole. `missing_role` on a 403 for a key without the path's role; `retry_after_seconds` on a 503 for too many live reservations; `offset` (and `line` for NDJSON) for malformed JSON; `field` for an unusable approval_id."
      },
      "FieldError": {
        "type": "object",
        "properties": {
          "index": {
            "type": "integer",
            "minimum": 0
          },
          "field": {
            "type": "string"
          },
          "message": {
            "type": "string"
          }
        },
        "additionalProperties": false,
        "required": [
          "field",
          "message"
        ],
        "description": "One broken rule: `index` is the event's position in a usage batch (absent for a check or key request)."
      },
      "FieldErrors": {
        "type": "object",
        "properties": {
          "errors": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/FieldError"
            },
            "minItems": 1
          }
        },
        "additionalProperties": false,
        "required": [
          "errors"
        ]
      },
      "ErrorBody": {
        "anyOf": [
          {
            "$ref": "#/components/schemas/Error"
          },
          {
            "$ref": "#/components/schemas/FieldErrors"
          }
        ]
      },
      "UsageEvent": {
        "type": "object",
        "properties": {
          "id": {
            "type": "string",
            "minLength": 1,
            "maxLength": 256,
            "description": "The idempotency key: an id already accepted is not counted again."
          },
          "time": {
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339; default: the time of receipt. Events are priced at their own time."
          },
          "provider": {
            "type": "string",
            "minLength": 1
          },
          "model": {
            "type": "string",
            "minLength": 1
          },
          "input_tokens": {
            "$ref": "#/components/schemas/TokenCount",
            "description": "All input tokens, cached ones included (gen_ai.usage.input_tokens)."
          },
          "output_tokens": {
            "$ref": "#/components/schemas/TokenCount",
            "description": "All output tokens, reasoning ones included."
          },
          "cache_read_input_tokens": {
            "$ref": "#/components/schemas/TokenCount",
            "description": "Subset of input_tokens (default 0)."
          },
          "cache_creation_input_tokens": {
            "$ref": "#/components/schemas/TokenCount",
            "description": "Subset of input_tokens (default 0)."
          },
          "reasoning_tokens": {
            "$ref": "#/components/schemas/TokenCount",
            "description": "Subset of output_tokens (default 0)."
          },
          "attribution": {
            "$ref": "#/components/schemas/Attribution"
          },
          "reservation": {
            "type": "string",
            "description": "The id of the /v1/check reservation this usage commits."
          },
          "audio_input_tokens": {
            "$ref": "#/components/schemas/TokenCount",
            "description": "Uncached audio input tokens: a subset of input_tokens, disjoint from the cache counts (default 0)."
          },
          "audio_output_tokens": {
            "$ref": "#/components/schemas/TokenCount",
            "description": "Audio output tokens: a subset of output_tokens, disjoint from reasoning_tokens (default 0)."
          },
          "images": {
            "type": "integer",
            "minimum": 0,
            "maximum": 1000000000000,
            "description": "Images generated (default 0), priced per image."
          },
          "image_size": {
            "type": [
              "string",
              "null"
            ],
            "minLength": 1,
            "maxLength": 256,
            "description": "The images' size, WIDTHxHEIGHT (1024x1024)."
          },
          "image_quality": {
            "type": [
              "string",
              "null"
            ],
            "minLength": 1,
            "maxLength": 256,
            "description": "The images' quality (standard, hd, low, medium, high)."
          },
          "audio_input_seconds": {
            "type": [
              "number",
              "string"
            ],
            "description": "Seconds of audio, an exact decimal with at most 6 decimals (12.5 or \"12.5\"; default 0), priced per second."
          },
          "audio_output_seconds": {
            "type": [
              "number",
              "string"
            ],
            "description": "Seconds of audio, an exact decimal with at most 6 decimals (12.5 or \"12.5\"; default 0), priced per second."
          }
        },
        "additionalProperties": false,
        "required": [
          "id",
          "provider",
          "model",
          "input_tokens",
          "output_tokens"
        ]
      },
      "UsageResult": {
        "type": "object",
        "properties": {
          "id": {
            "type": "string"
          },
          "cost": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "An exact decimal amount (every significant digit), never a JSON number."
          },
          "currency": {
            "type": "string"
          },
          "duplicate": {
            "type": "boolean"
          }
        },
        "additionalProperties": false,
        "required": [
          "id",
          "cost",
          "currency",
          "duplicate"
        ]
      },
      "UsageResults": {
        "type": "object",
        "properties": {
          "results": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/UsageResult"
            }
          }
        },
        "additionalProperties": false,
        "required": [
          "results"
        ]
      },
      "RecordedUsageEvent": {
        "type": "object",
        "properties": {
          "seq": {
            "type": "integer",
            "minimum": 0
          },
          "id": {
            "type": "string"
          },
          "time": {
            "type": "string",
            "format": "date-time"
          },
          "received_at": {
            "type": "string",
            "format": "date-time"
          },
          "provider": {
            "type": "string"
          },
          "model": {
            "type": "string"
          },
          "input_tokens": {
            "type": "integer",
            "minimum": 0
          },
          "output_tokens": {
            "type": "integer",
            "minimum": 0
          },
          "cache_read_input_tokens": {
            "type": "integer",
            "minimum": 0
          },
          "cache_creation_input_tokens": {
            "type": "integer",
            "minimum": 0
          },
          "reasoning_tokens": {
            "type": "integer",
            "minimum": 0
          },
          "cost": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "An exact decimal amount (every significant digit), never a JSON number."
          },
          "currency": {
            "type": "string"
          },
          "priced": {
            "type": "boolean"
          },
          "attribution": {
            "$ref": "#/components/schemas/Attribution"
          },
          "reservation": {
            "type": [
              "string",
              "null"
            ]
          },
          "audio_input_tokens": {
            "type": "integer",
            "minimum": 0
          },
          "audio_output_tokens": {
            "type": "integer",
            "minimum": 0
          },
          "images": {
            "type": "integer",
            "minimum": 0
          },
          "image_size": {
            "type": [
              "string",
              "null"
            ]
          },
          "image_quality": {
            "type": [
              "string",
              "null"
            ]
          },
          "audio_input_seconds": {
            "type": "string",
            "pattern": "^[0-9]+(\\.[0-9]+)?$",
            "description": "Seconds of audio, an exact decimal (\"0\" when none)."
          },
          "audio_output_seconds": {
            "type": "string",
            "pattern": "^[0-9]+(\\.[0-9]+)?$",
            "description": "Seconds of audio, an exact decimal (\"0\" when none)."
          }
        },
        "additionalProperties": false,
        "required": [
          "seq",
          "id",
          "time",
          "received_at",
          "provider",
          "model",
          "input_tokens",
          "output_tokens",
          "cache_read_input_tokens",
          "cache_creation_input_tokens",
          "reasoning_tokens",
          "cost",
          "currency",
          "priced",
          "attribution",
          "reservation",
          "audio_input_tokens",
          "audio_output_tokens",
          "images",
          "image_size",
          "image_quality",
          "audio_input_seconds",
          "audio_output_seconds"
        ]
      },
      "UsagePage": {
        "type": "object",
        "properties": {
          "events": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/RecordedUsageEvent"
            }
          },
          "next_cursor": {
            "type": [
              "string",
              "null"
            ]
          }
        },
        "additionalProperties": false,
        "required": [
          "events",
          "next_cursor"
        ]
      },
      "AuditRow": {
        "type": "object",
        "properties": {
          "seq": {
            "type": "integer",
            "minimum": 0
          },
          "time": {
            "type": "string",
            "format": "date-time"
          },
          "rule": {
            "type": "string"
          },
          "kind": {
            "type": "string"
          },
          "action": {
            "type": "string"
          },
          "scope": {
            "type": "object",
            "additionalProperties": {
              "type": "string"
            }
          },
          "decision": {
            "type": [
              "string",
              "null"
            ]
          },
          "observed": {
            "type": [
              "string",
              "null"
            ]
          },
          "limit": {
            "type": [
              "string",
              "null"
            ]
          },
          "detail": {
            "type": "object"
          },
          "prev_hash": {
            "type": "string"
          },
          "hash": {
            "type": "string"
          },
          "version": {
            "type": "integer",
            "enum": [
              1,
              2
            ]
          },
          "actor": {
            "type": [
              "string",
              "null"
            ]
          }
        },
        "additionalProperties": false,
        "required": [
          "seq",
          "time",
          "rule",
          "kind",
          "action",
          "scope",
          "decision",
          "observed",
          "limit",
          "detail",
          "prev_hash",
          "hash",
          "version",
          "actor"
        ]
      },
      "AuditPage": {
        "type": "object",
        "properties": {
          "events": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/AuditRow"
            }
          },
          "next_cursor": {
            "type": [
              "string",
              "null"
            ]
          }
        },
        "additionalProperties": false,
        "required": [
          "events",
          "next_cursor"
        ]
      },
      "CheckRequest": {
        "type": "object",
        "properties": {
          "provider": {
            "type": "string",
            "minLength": 1
          },
          "model": {
            "type": "string",
            "minLength": 1
          },
          "estimated_input_tokens": {
            "$ref": "#/components/schemas/TokenCount"
          },
          "max_output_tokens": {
            "$ref": "#/components/schemas/TokenCount"
          },
          "audio_input_tokens": {
            "$ref": "#/components/schemas/TokenCount",
            "description": "Audio tokens among estimated_input_tokens (default 0), priced at the audio-input rate."
          },
          "audio_output_tokens": {
            "$ref": "#/components/schemas/TokenCount",
            "description": "Audio tokens among max_output_tokens (default 0), priced at the audio-output rate."
          },
          "images": {
            "type": "integer",
            "minimum": 0,
            "maximum": 1000000000000,
            "description": "Images the call will generate (default 0), priced per image."
          },
          "image_size": {
            "type": [
              "string",
              "null"
            ],
            "minLength": 1,
            "maxLength": 256,
            "description": "The images' size, WIDTHxHEIGHT (1024x1024)."
          },
          "image_quality": {
            "type": [
              "string",
              "null"
            ],
            "minLength": 1,
            "maxLength": 256,
            "description": "The images' quality (standard, hd, low, medium, high)."
          },
          "audio_input_seconds": {
            "type": [
              "number",
              "string"
            ],
            "description": "Seconds of audio, an exact decimal with at most 6 decimals (12.5 or \"12.5\"; default 0), priced per second."
          },
          "audio_output_seconds": {
            "type": [
              "number",
              "string"
            ],
            "description": "Seconds of audio, an exact decimal with at most 6 decimals (12.5 or \"12.5\"; default 0), priced per second."
          },
          "attribution": {
            "$ref": "#/components/schemas/Attribution"
          },
          "estimated_cost": {
            "type": [
              "string",
              "number"
            ],
            "description": "Replaces the estimate priced from the catalog: a decimal amount from 0 to 1,000,000,000."
          },
          "currency": {
            "type": "string",
            "description": "ISO 4217 code of estimated_cost (default USD)."
          },
          "priority": {
            "type": "string",
            "enum": [
              "low",
              "normal",
              "high"
            ]
          },
          "id": {
            "type": "string"
          },
          "time": {
            "type": "string"
          },
          "approval_id": {
            "type": "string",
            "description": "An approved approval (apr_…) for a retry past require_approval policies."
          }
        },
        "additionalProperties": false,
        "required": [
          "provider",
          "model"
        ]
      },
      "Decision": {
        "type": "string",
        "enum": [
          "allow",
          "warn",
          "throttle",
          "require_approval",
          "deny"
        ]
      },
      "CheckReason": {
        "type": "object",
        "properties": {
          "rule": {
            "type": "string"
          },
          "kind": {
            "type": "string",
            "enum": [
              "budget",
              "quota",
              "policy"
            ]
          },
          "decision": {
            "$ref": "#/components/schemas/Decision"
          },
          "message": {
            "type": "string"
          },
          "usage_ratio": {
            "type": "number"
          },
          "remaining": {
            "type": "string"
          },
          "scope": {
            "type": "object",
            "additionalProperties": {
              "type": "string"
            }
          },
          "retry_after_seconds": {
            "type": "integer",
            "minimum": 0
          }
        },
        "additionalProperties": true,
        "required": [
          "rule",
          "kind",
          "decision",
          "message"
        ]
      },
      "Reservation": {
        "type": "object",
        "properties": {
          "id": {
            "type": "string"
          },
          "amount": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "An exact decimal amount (every significant digit), never a JSON number."
          },
          "currency": {
            "type": "string"
          },
          "tokens": {
            "type": "integer",
            "minimum": 0
          },
          "expires_at": {
            "type": "string",
            "format": "date-time"
          }
        },
        "additionalProperties": false,
        "required": [
          "id",
          "amount",
          "currency",
          "tokens",
          "expires_at"
        ]
      },
      "CheckResponse": {
        "type": "object",
        "properties": {
          "decision": {
            "$ref": "#/components/schemas/Decision"
          },
          "reasons": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/CheckReason"
            }
          },
          "reservation": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/Reservation"
              },
              {
                "type": "null"
              }
            ]
          },
          "retry_after_seconds": {
            "type": [
              "integer",
              "null"
            ],
            "minimum": 0
          },
          "estimated_cost": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "An exact decimal amount (every significant digit), never a JSON number."
          },
          "currency": {
            "type": "string"
          },
          "approval": {
            "type": "object",
            "properties": {
              "id": {
                "type": "string"
              },
              "status": {
                "type": "string"
              }
            },
            "additionalProperties": false,
            "required": [
              "id",
              "status"
            ]
          }
        },
        "additionalProperties": false,
        "required": [
          "decision",
          "reasons",
          "reservation",
          "retry_after_seconds",
          "estimated_cost",
          "currency"
        ]
      },
      "BudgetLimit": {
        "type": "object",
        "properties": {
          "unit": {
            "type": "string"
          },
          "base": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "An exact decimal amount (every significant digit), never a JSON number."
          },
          "rollover": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "An exact decimal amount (every significant digit), never a JSON number."
          },
          "override": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "An exact decimal amount (every significant digit), never a JSON number."
          },
          "effective": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "An exact decimal amount (every significant digit), never a JSON number."
          },
          "used": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "An exact decimal amount (every significant digit), never a JSON number."
          },
          "reserved": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "An exact decimal amount (every significant digit), never a JSON number."
          },
          "remaining": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "An exact decimal amount (every significant digit), never a JSON number."
          },
          "usage_ratio": {
            "type": "number"
          }
        },
        "additionalProperties": false,
        "required": [
          "unit",
          "base",
          "rollover",
          "override",
          "effective",
          "used",
          "reserved",
          "remaining",
          "usage_ratio"
        ]
      },
      "BudgetStatus": {
        "type": "object",
        "properties": {
          "budget": {
            "type": "string"
          },
          "scope": {
            "type": "object",
            "additionalProperties": {
              "type": "string"
            }
          },
          "period": {
            "type": "object",
            "properties": {
              "start": {
                "type": [
                  "string",
                  "null"
                ],
                "format": "date-time"
              },
              "end": {
                "type": [
                  "string",
                  "null"
                ],
                "format": "date-time"
              },
              "timezone": {
                "type": "string"
              }
            },
            "additionalProperties": false,
            "required": [
              "start",
              "end",
              "timezone"
            ]
          },
          "limits": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/BudgetLimit"
            }
          },
          "step": {
            "type": [
              "string",
              "null"
            ],
            "enum": [
              "notify",
              "warn",
              "throttle",
              "deny",
              null
            ]
          },
          "override": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "id": {
                    "type": "string"
                  },
                  "change": {
                    "type": "string"
                  },
                  "expires_at": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "format": "date-time"
                  }
                },
                "additionalProperties": false,
                "required": [
                  "id",
                  "change",
                  "expires_at"
                ]
              },
              {
                "type": "null"
              }
            ]
          }
        },
        "additionalProperties": false,
        "required": [
          "budget",
          "scope",
          "period",
          "limits",
          "step",
          "override"
        ]
      },
      "BudgetStatusPage": {
        "type": "object",
        "properties": {
          "budgets": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/BudgetStatus"
            }
          },
          "next_cursor": {
            "type": [
              "string",
              "null"
            ]
          }
        },
        "additionalProperties": false,
        "required": [
          "budgets",
          "next_cursor"
        ]
      },
      "ReloadResult": {
        "type": "object",
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "reloaded"
            ]
          },
          "budgets": {
            "type": "integer",
            "minimum": 0
          },
          "quotas": {
            "type": "integer",
            "minimum": 0
          },
          "policies": {
            "type": "integer",
            "minimum": 0
          }
        },
        "additionalProperties": false,
        "required": [
          "status",
          "budgets",
          "quotas",
          "policies"
        ]
      },
      "ReloadFailure": {
        "type": "object",
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "failed"
            ]
          },
          "errors": {
            "type": "array",
            "items": {
              "type": "string"
            }
          }
        },
        "additionalProperties": false,
        "required": [
          "status",
          "errors"
        ]
      },
      "Role": {
        "type": "string",
        "enum": [
          "ingest",
          "check",
          "read",
          "approver",
          "admin"
        ]
      },
      "KeyRequest": {
        "type": "object",
        "properties": {
          "name": {
            "type": "string"
          },
          "roles": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Role"
            }
          },
          "scope": {
            "$ref": "#/components/schemas/Attribution"
          },
          "expires": {
            "type": "string",
            "description": "A duration of at least 1s (\"90d\")."
          }
        },
        "additionalProperties": false,
        "required": [
          "name",
          "roles"
        ]
      },
      "CreatedKey": {
        "type": "object",
        "properties": {
          "name": {
            "type": "string"
          },
          "id": {
            "type": "string"
          },
          "secret": {
            "type": "string",
            "description": "The key, tw_<id>_<secret>: shown only here."
          },
          "roles": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Role"
            }
          },
          "scope": {
            "type": "object",
            "additionalProperties": {
              "type": "string"
            }
          },
          "created": {
            "type": "string",
            "format": "date-time"
          },
          "expires": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "replaced": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "id": {
                  "type": "string"
                },
                "valid_until": {
                  "type": "string",
                  "format": "date-time"
                }
              },
              "additionalProperties": false,
              "required": [
                "id",
                "valid_until"
              ]
            }
          }
        },
        "additionalProperties": false,
        "required": [
          "name",
          "id",
          "secret",
          "roles",
          "scope",
          "created",
          "expires"
        ]
      },
      "KeyRecord": {
        "type": "object",
        "properties": {
          "name": {
            "type": "string"
          },
          "id": {
            "type": "string"
          },
          "roles": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Role"
            }
          },
          "scope": {
            "type": "object",
            "additionalProperties": {
              "type": "string"
            }
          },
          "created": {
            "type": "string",
            "format": "date-time"
          },
          "expires": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "grace_ends": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "revoked": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "last_used": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "status": {
            "type": "string",
            "enum": [
              "active",
              "rotated",
              "expired",
              "revoked"
            ]
          }
        },
        "additionalProperties": false,
        "required": [
          "name",
          "id",
          "roles",
          "scope",
          "created",
          "expires",
          "grace_ends",
          "revoked",
          "last_used",
          "status"
        ]
      },
      "KeyList": {
        "type": "object",
        "properties": {
          "keys": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/KeyRecord"
            }
          }
        },
        "additionalProperties": false,
        "required": [
          "keys"
        ]
      },
      "RevokedKeys": {
        "type": "object",
        "properties": {
          "name": {
            "type": "string"
          },
          "revoked": {
            "type": "array",
            "items": {
              "type": "string"
            }
          }
        },
        "additionalProperties": false,
        "required": [
          "name",
          "revoked"
        ]
      },
      "OverrideRequest": {
        "type": "object",
        "properties": {
          "budget": {
            "type": "string"
          },
          "instance": {
            "$ref": "#/components/schemas/Attribution"
          },
          "change": {
            "type": "string"
          },
          "for": {
            "type": "string"
          },
          "until": {
            "type": "string"
          },
          "reason": {
            "type": "string"
          }
        },
        "additionalProperties": false,
        "required": [
          "budget",
          "change",
          "reason"
        ]
      },
      "Override": {
        "type": "object",
        "properties": {
          "id": {
            "type": "string"
          },
          "status": {
            "type": "string",
            "enum": [
              "pending",
              "active",
              "expired",
              "rejected",
              "revoked"
            ]
          },
          "budget": {
            "type": "string"
          },
          "instance": {
            "type": "object",
            "additionalProperties": {
              "type": "string"
            }
          },
          "change": {
            "type": "string"
          },
          "for": {
            "type": [
              "string",
              "null"
            ]
          },
          "until": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "reason": {
            "type": "string"
          },
          "requested_by": {
            "type": "string"
          },
          "created": {
            "type": "string",
            "format": "date-time"
          },
          "approval_expires_at": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "expires_at": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "decided_by": {
            "type": [
              "string",
              "null"
            ]
          },
          "decided_at": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "ended_at": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          }
        },
        "additionalProperties": false,
        "required": [
          "id",
          "status",
          "budget",
          "instance",
          "change",
          "reason",
          "requested_by",
          "created"
        ]
      },
      "OverrideList": {
        "type": "object",
        "properties": {
          "overrides": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Override"
            }
          }
        },
        "additionalProperties": false,
        "required": [
          "overrides"
        ]
      },
      "Approval": {
        "type": "object",
        "properties": {
          "id": {
            "type": "string"
          },
          "status": {
            "type": "string",
            "enum": [
              "pending",
              "approved",
              "rejected",
              "expired",
              "used"
            ]
          },
          "policies": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "provider": {
            "type": "string"
          },
          "model": {
            "type": "string"
          },
          "attribution": {
            "type": "object",
            "additionalProperties": {
              "type": "string"
            }
          },
          "estimated_cost": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "An exact decimal amount (every significant digit), never a JSON number."
          },
          "currency": {
            "type": "string"
          },
          "estimated_tokens": {
            "type": "integer",
            "minimum": 0
          },
          "requested_by": {
            "type": "string"
          },
          "created": {
            "type": "string",
            "format": "date-time"
          },
          "approval_expires_at": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "uses": {
            "type": [
              "integer",
              "null"
            ]
          },
          "used": {
            "type": "integer",
            "minimum": 0
          },
          "expires_at": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "decided_by": {
            "type": [
              "string",
              "null"
            ]
          },
          "decided_at": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "ended_at": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          }
        },
        "additionalProperties": false,
        "required": [
          "id",
          "status",
          "policies",
          "provider",
          "model",
          "attribution",
          "estimated_cost",
          "currency",
          "requested_by",
          "created"
        ]
      },
      "ApprovalList": {
        "type": "object",
        "properties": {
          "approvals": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Approval"
            }
          }
        },
        "additionalProperties": false,
        "required": [
          "approvals"
        ]
      },
      "ApprovalDecision": {
        "type": "object",
        "properties": {
          "uses": {
            "type": "integer",
            "minimum": 1,
            "maximum": 1000
          },
          "for": {
            "type": "string"
          }
        },
        "additionalProperties": false
      },
      "OTLPPartialSuccess": {
        "type": "object",
        "properties": {
          "partialSuccess": {
            "type": "object",
            "properties": {
              "rejectedSpans": {
                "type": [
                  "integer",
                  "string"
                ]
              },
              "errorMessage": {
                "type": "string"
              }
            },
            "additionalProperties": false
          }
        },
        "additionalProperties": false,
        "description": "OTLP's ExportTraceServiceResponse: empty when every span was taken; partialSuccess counts and names the rejected spans."
      }
    },
    "headers": {
      "Retry-After": {
        "description": "Seconds to wait before retrying.",
        "schema": {
          "type": "string",
          "pattern": "^[0-9]+$"
        }
      },
      "RateLimit": {
        "description": "The quotas that applied, as draft-ietf-httpapi-ratelimit-headers' RateLimit field (a structured-field list: `\"name\";r=remaining;t=seconds`).",
        "schema": {
          "type": "string"
        }
      },
      "RateLimit-Policy": {
        "description": "The quota policies that applied, as draft-ietf-httpapi-ratelimit-headers' RateLimit-Policy field (`\"name\";q=quota;w=window seconds`).",
        "schema": {
          "type": "string"
        }
      },
      "WWW-Authenticate": {
        "description": "`Bearer realm=\"tokenwarden\"` (and `Basic realm=\"tokenwarden\", charset=\"UTF-8\"` for a browser).",
        "schema": {
          "type": "string"
        }
      },
      "Allow": {
        "description": "The methods the path accepts.",
        "schema": {
          "type": "string"
        }
      },
      "X-Next-Cursor": {
        "description": "Set when the page came back full: the cursor of the next page.",
        "schema": {
          "type": "string"
        }
      },
      "Content-Disposition": {
        "description": "attachment; filename=\"…\"",
        "schema": {
          "type": "string"
        }
      }
    },
    "responses": {
      "BadRequest": {
        "description": "The body or a query parameter breaks a rule: every error, with the field it concerns; `{\"error\", \"offset\"}` for malformed JSON.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/ErrorBody"
            }
          }
        }
      },
      "Unauthorized": {
        "description": "No usable API key: missing, malformed, unknown, wrong secret, revoked or expired.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        },
        "headers": {
          "WWW-Authenticate": {
            "$ref": "#/components/headers/WWW-Authenticate"
          }
        }
      },
      "Forbidden": {
        "description": "The key lacks the path's role (`missing_role`), or the request lies outside the key's scope (`errors` naming each field).",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/ErrorBody"
            }
          }
        }
      },
      "NotFound": {
        "description": "Unknown path, or an unknown name or id in the path.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "MethodNotAllowed": {
        "description": "The path does not accept this method.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        },
        "headers": {
          "Allow": {
            "$ref": "#/components/headers/Allow"
          }
        }
      },
      "Conflict": {
        "description": "The request conflicts with the current state.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "TooLarge": {
        "description": "The body is over ingest.max_body_bytes.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "UnsupportedMediaType": {
        "description": "Another Content-Type than the path accepts (or a charset other than UTF-8).",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "Unavailable": {
        "description": "Not ready (the ledger is being restored), the database is unavailable, or too many unclaimed reservations.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        },
        "headers": {
          "Retry-After": {
            "$ref": "#/components/headers/Retry-After"
          }
        }
      },
      "ServerError": {
        "description": "The database could not be read.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      }
    },
    "parameters": {
      "since": {
        "name": "since",
        "in": "query",
        "schema": {
          "type": "string",
          "format": "date-time"
        },
        "description": "RFC 3339, inclusive."
      },
      "until": {
        "name": "until",
        "in": "query",
        "schema": {
          "type": "string",
          "format": "date-time"
        },
        "description": "RFC 3339, exclusive."
      },
      "provider": {
        "name": "provider",
        "in": "query",
        "schema": {
          "type": "string"
        }
      },
      "model": {
        "name": "model",
        "in": "query",
        "schema": {
          "type": "string"
        }
      },
      "limit": {
        "name": "limit",
        "in": "query",
        "schema": {
          "type": "integer",
          "minimum": 1
        }
      },
      "cursor": {
        "name": "cursor",
        "in": "query",
        "schema": {
          "type": "string"
        },
        "description": "The previous page's next_cursor (or X-Next-Cursor)."
      },
      "attribution": {
        "name": "attribution",
        "in": "query",
        "style": "form",
        "explode": true,
        "schema": {
          "type": "object",
          "additionalProperties": {
            "type": "string"
          }
        },
        "description": "Any attribution key as a parameter of its own (`team=search`); several narrow together."
      },
      "rule": {
        "name": "rule",
        "in": "query",
        "schema": {
          "type": "string"
        }
      },
      "kind": {
        "name": "kind",
        "in": "query",
        "schema": {
          "type": "string",
          "enum": [
            "budget",
            "quota",
            "policy",
            "reservation",
            "reload",
            "audit",
            "key",
            "override",
            "approval"
          ]
        }
      },
      "action": {
        "name": "action",
        "in": "query",
        "schema": {
          "type": "string"
        }
      }
    }
  }
}

"""#
}
