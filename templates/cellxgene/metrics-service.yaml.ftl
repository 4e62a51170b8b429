<#-- ingress-nginx's request metrics (port 10254) as a Service in ingress-nginx's own namespace: the
     operator reads them to find instances nobody visits. The namespace belongs to ingress-nginx, not to
     this application (template entry namespaces: [ingress-nginx], precondition: it exists). -->
apiVersion: v1
kind: Service
metadata:
  name: metrics
  namespace: ingress-nginx
  labels:
    app.kubernetes.io/name: cellxgene
    app.kubernetes.io/component: ingress-nginx-metrics
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: ingress-nginx
    app.kubernetes.io/component: controller
  ports:
    - name: metrics
      protocol: TCP
      port: 80
      targetPort: 10254
