apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${chart_name?c}
spec:
  template:
    spec:
      containers:
        - name: main
          image: ${(docker_image + ":" + tag)?c}
          env:
<#list env_variables as k, v>
            - {name: ${k?c}, value: ${v?c}}
</#list>
          ports:
<#list ports as service, numbers>
            - {name: ${service?c}, containerPort: ${numbers[0]?c}}
</#list>
