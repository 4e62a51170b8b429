<#import "labels.ftl" as l>
<#-- In-cluster address of the HTTP endpoints: Prometheus scrapes /metrics through it, and an Ingress (not
     rendered here; it depends on the cluster's ingress controller) can route GitHub's POST /hooks/git to it. -->
apiVersion: v1
kind: Service
metadata:
  name: dm-reconciler
  namespace: ${dr_namespace?c}
  labels:
<@l.labels/>
  annotations:
    prometheus.io/scrape: 'true'
    prometheus.io/port: ${dr_http_port?c?c}
    prometheus.io/path: /metrics
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: dm-reconciler
  ports:
    - name: http
      port: ${dr_http_port?c}
      targetPort: http
      protocol: TCP
