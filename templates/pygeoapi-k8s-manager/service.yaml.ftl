<#import "/lib/labels.ftl" as l>
apiVersion: v1
kind: Service
metadata:
  name: ${instance.name?c}
  labels:
    <@l.labels app=app.name instance=instance.name indent=4/>
spec:
  type: ClusterIP
  selector:
    <@l.selector app=app.name instance=instance.name indent=4/>
  ports:
    - name: http
      protocol: TCP
      port: 80
      targetPort: http
