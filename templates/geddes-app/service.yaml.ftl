<#-- LoadBalancer Service; MetalLB picks the address from the pool named in the annotation. -->
apiVersion: v1
kind: Service
metadata:
  name: ${instance.name?c}
  labels:
    app.kubernetes.io/name: geddes-app
    app.kubernetes.io/instance: ${instance.name?c}
  annotations:
    metallb.universe.tf/address-pool: ${geddes_address_pool?c}
spec:
  type: LoadBalancer
  selector:
    app.kubernetes.io/name: geddes-app
    app.kubernetes.io/instance: ${instance.name?c}
  ports:
    - name: http
      protocol: TCP
      port: ${geddes_service_port?c}
      targetPort: ${geddes_container_port?c}
