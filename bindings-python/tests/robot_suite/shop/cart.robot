*** Settings ***
Library    ../checks.py

*** Test Cases ***
Adds An Item
    [Documentation]    Two items make a total of 5.
    [Tags]    Q-12    smoke
    ${total} =    Add Items    2    3
    FOR    ${item}    IN    apple    pear
        Log    ${item}
    END
    Should Be Equal As Integers    ${total}    5

Total Is Wrong
    Should Be Equal    ${1}    ${2}

Setup Fails
    [Setup]    Fail    database not reachable
    Log    never runs

Teardown Fails
    Log    body passes
    [Teardown]    Fail    cleanup failed

Missing Keyword
    Open The Shop

Divides By Zero
    Divide    1    0

Skipped
    Skip    not today

Ignored
    [Tags]    qase.ignore
    Log    not reported

With Fields
    [Tags]    qase.fields:{"severity": "major", "layer": "api"}    qase.params:[plan]
    ${plan} =    Set Variable    gold
    Log    ${plan}

*** Keywords ***
Add Items
    [Arguments]    ${a}    ${b}
    ${sum} =    Evaluate    ${a} + ${b}
    RETURN    ${sum}
