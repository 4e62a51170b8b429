apiVersion: v1
kind: Service
metadata:
  name: ${(chart_name + "-metrics")?c}
  namespace: ingress-nginx
spec:
  ports:
    - {port: 80}
