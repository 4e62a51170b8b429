<#-- The Data Manager reads the application's configuration from a ConfigMap named after the CRD:
     the cost, the launch template (a JSON Schema) and where each template property goes in the CR. -->
apiVersion: v1
kind: ConfigMap
metadata:
  name: datavisualisations.squonk.it
  labels:
    app.kubernetes.io/name: viz-operator
    app.kubernetes.io/part-of: data-manager
data:
  dm-app.config: |
    [cost]
    cost = ${svo_cost_cost}
    period = ${svo_cost_period}
    unit = PxGi
    pro rata = yes
  dm-app.template: |
    {
      "type": "object",
      "title": "The VizOperator Template",
      "required": ["version"],
      "properties": {
        "version": {
          "type": "string",
          "title": "Version",
          "enum": ["0.1.6", "0.1.7", "0.2.0"]
        },
        "memory": {
          "type": "string",
          "title": "Memory",
          "enum": ["1Gi", "2Gi", "4Gi", "8Gi"],
          "default": "1Gi"
        },
        "cpu": {
          "type": "string",
          "title": "CPU",
          "enum": ["1", "2"],
          "default": "1"
        }
      }
    }
  dm-app.template.mapping: |
    {
      "version": ["imageTag"],
      "cpu": ["resources.limits.cpu", "resources.requests.cpu"],
      "memory": ["resources.limits.memory", "resources.requests.memory"]
    }
