//! [`Shared`]: a large, immutable value handed around the page by reference and compared by
//! identity. A leaf module, so that the state's parts (`import_state`, `inquiry_state`) and the
//! app state (`state`) can all use it without depending on one another in a circle.

use std::rc::Rc;

/// A shared, immutable value compared by identity (cheap for large results in props and deps).
#[derive(Debug)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Rc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}
