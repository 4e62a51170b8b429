<#-- The Data Manager reads the application's configuration from a ConfigMap named after the CRD. -->
apiVersion: v1
kind: ConfigMap
metadata:
  name: jupyternotebooks.squonk.it
  labels:
    app.kubernetes.io/name: jupyter-operator
    app.kubernetes.io/part-of: data-manager
data:
  dm-app.config: |
    [public image variants]
<#list jo_image_variants as variant>
    ${variant.image} = ${variant.label}
</#list>

    [cost]
    cost = ${jo_cost_cost}
    period = ${jo_cost_period}
    unit = PxGi
    pro rata = yes
