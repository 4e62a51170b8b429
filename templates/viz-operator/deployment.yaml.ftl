<#import "labels.ftl" as l>
<#-- 'stable' and 'latest' move, so they are always pulled; a fixed tag is pulled once. -->
<#assign pullPolicy = (svo_image_tag == "stable" || svo_image_tag == "latest")?then("Always", "IfNotPresent")>
apiVersion: apps/v1
kind: Deployment
metadata:
  name: viz-operator
  namespace: ${svo_namespace?c}
  labels:
<@l.labels/>
    application: viz-operator
spec:
  replicas: 1
  strategy:
    type: Recreate
  selector:
    matchLabels:
      application: viz-operator
  template:
    metadata:
      labels:
        application: viz-operator
    spec:
      serviceAccountName: viz-operator
<#if svo_priority_class?has_content>
      priorityClassName: ${svo_priority_class?c}
</#if>
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
              - matchExpressions:
                  - key: informaticsmatters.com/purpose-application
                    operator: Exists
      containers:
        - name: viz-operator
          image: ${(svo_image + ":" + svo_image_tag)?c}
          imagePullPolicy: ${pullPolicy}
          env:
<#if svo_apply_pod_priority_class>
            - name: SVO_APPLY_POD_PRIORITY_CLASS
              value: 'true'
            - name: SVO_DEFAULT_POD_PRIORITY_CLASS
              value: ${svo_default_pod_priority_class?c}
</#if>
            - name: SVO_POD_NODE_SELECTOR_KEY
              value: ${svo_pod_node_selector_key?c}
            - name: SVO_POD_NODE_SELECTOR_VALUE
              value: ${svo_pod_node_selector_value?c}
            - name: INGRESS_DOMAIN
              value: ${svo_ingress_domain?c}
<#if svo_ingress_tls_secret?has_content>
            - name: INGRESS_TLS_SECRET
              value: ${svo_ingress_tls_secret?c}
<#else>
            - name: INGRESS_CERT_ISSUER
              value: ${svo_ingress_cert_issuer?c}
</#if>
            - name: SVO_IMAGE_PULL_SECRET
              value: ${svo_image_pull_secret_name?c}
