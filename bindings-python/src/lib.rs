//! testrelay-python: conversion-only binding of the testrelay core (filled by its issue).
