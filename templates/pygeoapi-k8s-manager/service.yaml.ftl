apiVersion: v1
kind: Service
metadata:
  name: ${instance.name?c}
  labels:
    app.kubernetes.io/name: pygeoapi-k8s-manager
    app.kubernetes.io/instance: ${instance.name?c}
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: pygeoapi-k8s-manager
    app.kubernetes.io/instance: ${instance.name?c}
  ports:
    - name: http
      protocol: TCP
      port: 80
      targetPort: http
