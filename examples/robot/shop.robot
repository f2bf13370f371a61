*** Settings ***
Documentation    A small shop suite for the demo: one test per way testrelay classifies a Robot
...              test (docs/robot.md).
Library          prices.py

*** Test Cases ***
Price Without Discount
    [Tags]    Q-1    smoke
    ${price} =    Price    10
    Should Be Equal As Numbers    ${price}    10

Price With Discount
    [Tags]    Q-2    qase.fields:{"severity": "critical"}
    ${price} =    Price    10    discount=0.5
    Should Be Equal As Numbers    ${price}    5

Rounding Is Wrong
    [Documentation]    A check that does not hold: failed.
    ${price} =    Price    0.3
    Should Be Equal As Numbers    ${price}    0.31

Bug In The Test Itself
    [Documentation]    A Python error in a keyword, not a check: invalid.
    Price    ten

Keyword Does Not Exist
    [Documentation]    Robot cannot run the test as written: invalid.
    Add To Cart    apple

Database Is Down
    [Documentation]    The setup failed, the test never checked anything: invalid.
    [Setup]    Fail    database is down
    Log    checks the stock

Payment
    Skip    payments sandbox not available
