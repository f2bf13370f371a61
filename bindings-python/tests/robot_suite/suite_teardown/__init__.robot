*** Settings ***
Suite Teardown    Fail    could not close the browser
