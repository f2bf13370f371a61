*** Settings ***
Suite Setup    Fail    server did not start
