<#-- LoadBalancer Service; MetalLB picks the address from the pool named in the annotation. -->
<#import "/lib/labels.ftl" as l>
apiVersion: v1
kind: Service
metadata:
  name: ${instance.name?c}
  labels:
    <@l.labels app=app.name instance=instance.name indent=4/>
  annotations:
    metallb.universe.tf/address-pool: ${geddes_address_pool?c}
spec:
  type: LoadBalancer
  selector:
    <@l.selector app=app.name instance=instance.name indent=4/>
  ports:
    - name: http
      protocol: TCP
      port: ${geddes_service_port?c}
      targetPort: ${geddes_container_port?c}
