<#import "labels.ftl" as l>
<#-- 'stable' and 'latest' move, so they are always pulled; a fixed tag is pulled once. -->
<#assign pullPolicy = (jo_image_tag == "stable" || jo_image_tag == "latest")?then("Always", "IfNotPresent")>
apiVersion: apps/v1
kind: Deployment
metadata:
  name: jupyter-operator
  namespace: ${jo_namespace?c}
  labels:
<@l.labels/>
    application: jupyter-operator
spec:
  replicas: 1
  strategy:
    type: Recreate
  selector:
    matchLabels:
      application: jupyter-operator
  template:
    metadata:
      labels:
        application: jupyter-operator
    spec:
      serviceAccountName: jupyter-operator
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
              - matchExpressions:
                  - key: informaticsmatters.com/purpose-application
                    operator: Exists
      containers:
        - name: jupyter-operator
          image: ${(jo_image + ":" + jo_image_tag)?c}
          imagePullPolicy: ${pullPolicy}
          env:
            - name: JO_POD_NODE_SELECTOR_KEY
              value: ${jo_pod_node_selector_key?c}
            - name: JO_POD_NODE_SELECTOR_VALUE
              value: ${jo_pod_node_selector_value?c}
            - name: INGRESS_DOMAIN
              value: ${jo_ingress_domain?c}
<#if jo_ingress_tls_secret?has_content>
            - name: INGRESS_TLS_SECRET
              value: ${jo_ingress_tls_secret?c}
<#else>
            - name: INGRESS_CERT_ISSUER
              value: ${jo_ingress_cert_issuer?c}
</#if>
<#if jo_apply_pod_priority_class>
            - name: JO_APPLY_POD_PRIORITY_CLASS
              value: 'true'
</#if>
          resources:
            requests:
              cpu: ${jo_cpu_request?c}
              memory: ${jo_mem_request?c}
            limits:
              cpu: ${jo_cpu_limit?c}
              memory: ${jo_mem_limit?c}
